/**
 * nginx's built-in TLS defaults by version (docs/platform-facts.md#nginx-protocol-and-cipher-defaults, from the
 * nginx sources: `NGX_SSL_DEFAULT_PROTOCOLS`, `NGX_DEFAULT_CIPHERS` and their history).
 */
import type { ProtocolVersion } from '../../model/protocol.js';
import { compareVersions } from '../../config/targets.js';

export interface VersionedDefault<T> {
  value: T;
  /** The nginx spelling, for messages: `TLSv1 TLSv1.1 TLSv1.2`. */
  written: string;
  /** The versions this default applies to, for messages: `nginx 1.9.1–1.23.3`. */
  range: string;
}

const below = (version: string, limit: string): boolean => compareVersions(version, limit) < 0;

/** nginx 0.8.0–0.8.18 still had the 0.7.64 defaults; 0.7.65 backported the change. */
function isOldest(version: string): boolean {
  return below(version, '0.7.65') || (!below(version, '0.8.0') && below(version, '0.8.19'));
}

/**
 * `ssl_protocols` when none is set (also the default of `proxy_ssl_protocols`,
 * `grpc_ssl_protocols`, `uwsgi_ssl_protocols` and stream `proxy_ssl_protocols`: one macro).
 */
export function defaultProtocols(version: string): VersionedDefault<ProtocolVersion[]> {
  if (isOldest(version))
    return {
      value: ['SSLv2', 'SSLv3', 'TLSv1.0'],
      written: 'SSLv2 SSLv3 TLSv1',
      range: 'nginx < 0.7.65',
    };
  if (below(version, '1.9.1'))
    return {
      value: ['SSLv3', 'TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
      written: 'SSLv3 TLSv1 TLSv1.1 TLSv1.2',
      range: 'nginx 0.8.19–1.9.0',
    };
  if (below(version, '1.23.4'))
    return {
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
      written: 'TLSv1 TLSv1.1 TLSv1.2',
      range: 'nginx 1.9.1–1.23.3',
    };
  if (below(version, '1.27.3'))
    return {
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
      written: 'TLSv1 TLSv1.1 TLSv1.2 TLSv1.3',
      range: 'nginx 1.23.4–1.27.2',
    };
  return { value: ['TLSv1.2', 'TLSv1.3'], written: 'TLSv1.2 TLSv1.3', range: 'nginx ≥ 1.27.3' };
}

/** `ssl_ciphers` when none is set. */
export function defaultServerCiphers(version: string): VersionedDefault<string> {
  if (isOldest(version))
    return {
      value: 'ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM:+LOW:+SSLv2:+EXP',
      written: 'ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM:+LOW:+SSLv2:+EXP',
      range: 'nginx < 0.7.65',
    };
  if (compareVersions(version, '0.8.19') === 0)
    return {
      value: 'ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM',
      written: 'ALL:!ADH:RC4+RSA:+HIGH:+MEDIUM',
      range: 'nginx 0.8.19',
    };
  if (below(version, '1.0.5'))
    return { value: 'HIGH:!ADH:!MD5', written: 'HIGH:!ADH:!MD5', range: 'nginx 0.8.20–1.0.4' };
  return { value: 'HIGH:!aNULL:!MD5', written: 'HIGH:!aNULL:!MD5', range: 'nginx ≥ 1.0.5' };
}

/** `proxy_ssl_ciphers` (and grpc/uwsgi/stream proxy) when none is set: OpenSSL's own list. */
export const DEFAULT_UPSTREAM_CIPHERS = 'DEFAULT';
