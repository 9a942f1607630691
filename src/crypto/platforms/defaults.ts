/**
 * Platform default cipher lists that readers put into a context's `ciphers` setting when the
 * config sets none. Sources: docs/platform-facts.md#python (Python). nginx's defaults live with the nginx
 * reader (src/languages/nginx/defaults.ts); Node's in ./node-defaults.ts; Envoy's in
 * ./envoy-defaults.ts; Go's (with GODEBUG) in ./go-defaults.ts.
 */
import { compareVersions } from '../../config/targets.js';

/** Python's `ssl` default cipher string (applied to every SSLContext) by Python version. */
export function pythonDefaultCiphers(pythonVersion: string): string {
  if (compareVersions(pythonVersion, '3.10') >= 0)
    return '@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM';
  if (compareVersions(pythonVersion, '3.7') >= 0)
    return 'DEFAULT:!aNULL:!eNULL:!MD5:!3DES:!DES:!RC4:!IDEA:!SEED:!aDSS:!SRP:!PSK';
  return 'ECDH+AESGCM:ECDH+CHACHA20:DH+AESGCM:DH+CHACHA20:ECDH+AES256:DH+AES256:ECDH+AES128:DH+AES:ECDH+HIGH:DH+HIGH:RSA+AESGCM:RSA+AES:RSA+HIGH:!aNULL:!eNULL:!MD5:!3DES';
}

/** Envoy's defaults live in ./envoy-defaults.ts (by Envoy version and side). */
export { ENVOY_DEFAULT_CIPHER_SUITES } from './envoy-defaults.js';

/**
 * What a new Python `ssl` context enables before any attribute write (docs/platform-facts.md#python, checked
 * by test/python-differential.test.ts against the installed interpreter):
 * - 3.10+: every PROTOCOL_TLS* context has `minimum_version` TLSv1_2;
 * - 3.6–3.9: `minimum_version` is MINIMUM_SUPPORTED, OP_NO_SSLv2 and OP_NO_SSLv3 are set, so
 *   OpenSSL's own floor (TLS 1.0) applies;
 * - before 3.6 a bare SSLContext(PROTOCOL_SSLv23) still allows SSL 3.0 where OpenSSL has it;
 *   create_default_context() has always set OP_NO_SSLv3.
 * The highest version is OpenSSL's: TLS 1.3 from OpenSSL 1.1.1.
 */
export function pythonDefaultProtocolRange(
  pythonVersion: string,
  opensslVersion: string,
  createDefault: boolean,
): { min: 'SSLv3' | 'TLSv1.0' | 'TLSv1.2'; max: 'TLSv1.2' | 'TLSv1.3'; reason: string } {
  const max = compareVersions(opensslVersion, '1.1.1') >= 0 ? 'TLSv1.3' : 'TLSv1.2';
  if (compareVersions(pythonVersion, '3.10') >= 0)
    return {
      min: 'TLSv1.2',
      max,
      reason: `Python ${pythonVersion} default minimum_version TLSv1_2`,
    };
  if (compareVersions(pythonVersion, '3.6') >= 0 || createDefault) {
    return {
      min: 'TLSv1.0',
      max,
      reason: `Python ${pythonVersion} default minimum_version MINIMUM_SUPPORTED (before 3.10: OpenSSL's floor, TLS 1.0)`,
    };
  }
  return {
    min: 'SSLv3',
    max,
    reason: `Python ${pythonVersion} default SSLContext(PROTOCOL_SSLv23) without OP_NO_SSLv3 (before 3.6)`,
  };
}
