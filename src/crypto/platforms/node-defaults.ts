/**
 * Node.js's built-in cipher list (`tls.DEFAULT_CIPHERS`) and bundled OpenSSL, by Node version.
 * Source: docs/platform-facts.md#nodejs (verified for Node 18.20.4 and 20.20.2; nodejs/node
 * src/node_constants.h DEFAULT_CIPHER_LIST_CORE).
 *
 * Node 22+: the stored nodejs/node main shows the same list with `!aNULL` misspelled `!annul`
 * (which would be a silently ignored token). That is unverified against a real Node 22, so the
 * verified list is used for every version; re-check with `node -p tls.DEFAULT_CIPHERS`.
 */
import { compareVersions } from '../../config/targets.js';
import type { OpenSslFamily } from '../openssl/families.js';

export const NODE_DEFAULT_CIPHERS_18_20 =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA';

/**
 * The default `ciphers` of a Node version. The TLS ≤1.2 part has been the same since Node 8
 * (the string ends in HIGH, so on OpenSSL 1.0.2 — Node ≤ 9 — it still brings 3DES in); the
 * TLS 1.3 names came with TLS 1.3 support in Node 12.
 */
export function nodeDefaultCipherList(nodeVersion: string): string {
  if (compareVersions(nodeVersion, '12') < 0)
    return NODE_DEFAULT_CIPHERS_18_20.split(':')
      .filter((t) => !t.startsWith('TLS_'))
      .join(':');
  return NODE_DEFAULT_CIPHERS_18_20;
}

/**
 * The OpenSSL family Node bundles: 3.x from Node 17 (18 LTS), 1.1.1 from Node 10.16/12, 1.0.2
 * before. Distribution builds linked against a system OpenSSL can differ (`--shared-openssl`).
 */
export function nodeOpenSslFamily(nodeVersion: string): OpenSslFamily {
  if (compareVersions(nodeVersion, '17') >= 0) return '3.x';
  if (compareVersions(nodeVersion, '10') >= 0) return '1.1.1';
  return '1.0.2';
}
