/**
 * Envoy's TLS defaults by Envoy version and side (downstream = server, upstream = client): what a
 * `CommonTlsContext` without `tls_params` negotiates. The one home of these facts; the Envoy
 * reader puts them into a context as `default` settings (docs/platform-facts.md#envoy-tls-parameters).
 *
 * Sources (read for this module):
 * - envoyproxy/data-plane-api 84e84367f2560cdb47b9bb78fd3e615feb80c3e4 (2026-01-29),
 *   envoy/extensions/transport_sockets/tls/v3/common.proto `TlsParameters`: minimum version
 *   TLSv1_2 for clients and servers; maximum TLSv1_2 for clients and TLSv1_3 for servers; the
 *   default cipher lists and curves quoted below.
 * - envoyproxy/envoy 0b40c13496f3e34f1c5256c2927242ad231f4d96,
 *   source/common/tls/server_context_config_impl.cc: `DEFAULT_MIN_VERSION = TLS1_2_VERSION`,
 *   `DEFAULT_MAX_VERSION = TLS1_3_VERSION`, `DEFAULT_CIPHER_SUITES`, `DEFAULT_CURVES`.
 * - History in data-plane-api (release by commit date; Envoy ships quarterly):
 *   - 286a2213 (2019-01-03) "enable TLS 1.3 on the server-side" → Envoy 1.10: server max TLSv1_3.
 *   - 825bc2de (2021-05-23) "clarify the new default client cipher list" → Envoy 1.19: the client
 *     list loses the CBC and RSA-key-exchange suites.
 *   - 6ed2f8cf (2022-01-18) "set TLS v1.2 as the default minimal version for servers" → Envoy
 *     1.22.0 (listed in its incompatible changes): before it a server accepted TLS 1.0.
 *   - 336d781d (2022-05-04) "remove RSA key transport cipher suites from the defaults on the
 *     server-side" and 0e84324c (2022-05-13) "Remove SHA-1 cipher suites from the defaults on the
 *     server-side" → Envoy 1.23.
 * FIPS builds use the same lists without the ChaCha20 groups; they are not modelled (a FIPS build
 * is never weaker than the non-FIPS default).
 */
import { compareVersions } from '../../config/targets.js';
import type { ProtocolVersion } from '../../model/protocol.js';

export type EnvoySide = 'downstream' | 'upstream';

const below = (version: string, limit: string): boolean => compareVersions(version, limit) < 0;

/** The modern list: the server default since 1.23, the client default since 1.19. */
export const ENVOY_DEFAULT_CIPHER_SUITES = [
  '[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]',
  '[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
] as const;

/** The list before (server < 1.23, client < 1.19): CBC with SHA-1 and static-RSA suites too. */
const ENVOY_LEGACY_CIPHER_SUITES = [
  '[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]',
  '[ECDHE-RSA-AES128-GCM-SHA256|ECDHE-RSA-CHACHA20-POLY1305]',
  'ECDHE-ECDSA-AES128-SHA',
  'ECDHE-RSA-AES128-SHA',
  'AES128-GCM-SHA256',
  'AES128-SHA',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES256-SHA',
  'ECDHE-RSA-AES256-SHA',
  'AES256-GCM-SHA384',
  'AES256-SHA',
] as const;

/** `ecdh_curves` default (non-FIPS). */
export const ENVOY_DEFAULT_CURVES = ['X25519', 'P-256'] as const;

export interface EnvoyVersionedDefault<T> {
  value: T;
  /** The Envoy versions this default applies to, for messages: `Envoy < 1.22`. */
  range: string;
}

/** `tls_minimum_protocol_version` when unset or `TLS_AUTO`. */
export function envoyDefaultMinVersion(
  side: EnvoySide,
  version: string,
): EnvoyVersionedDefault<ProtocolVersion> {
  if (side === 'upstream') return { value: 'TLSv1.2', range: 'every Envoy version' };
  return below(version, '1.22')
    ? { value: 'TLSv1.0', range: 'Envoy < 1.22' }
    : { value: 'TLSv1.2', range: 'Envoy ≥ 1.22' };
}

/** `tls_maximum_protocol_version` when unset or `TLS_AUTO`. */
export function envoyDefaultMaxVersion(
  side: EnvoySide,
  version: string,
): EnvoyVersionedDefault<ProtocolVersion> {
  if (side === 'upstream') return { value: 'TLSv1.2', range: 'every Envoy version (clients)' };
  return below(version, '1.10')
    ? { value: 'TLSv1.2', range: 'Envoy < 1.10' }
    : { value: 'TLSv1.3', range: 'Envoy ≥ 1.10' };
}

/** `cipher_suites` when unset, as the list items Envoy joins with ":". */
export function envoyDefaultCipherSuites(
  side: EnvoySide,
  version: string,
): EnvoyVersionedDefault<readonly string[]> {
  const limit = side === 'downstream' ? '1.23' : '1.19';
  return below(version, limit)
    ? { value: ENVOY_LEGACY_CIPHER_SUITES, range: `Envoy < ${limit}` }
    : { value: ENVOY_DEFAULT_CIPHER_SUITES, range: `Envoy ≥ ${limit}` };
}
