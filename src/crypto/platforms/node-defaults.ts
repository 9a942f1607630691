/**
 * Node.js's built-in cipher list (`tls.DEFAULT_CIPHERS`), by Node version.
 * Source: config-facts §4.2 (verified for Node 18.20.4 and 20.20.2; nodejs/node
 * src/node_constants.h DEFAULT_CIPHER_LIST_CORE). Owned by the cipher-suite work.
 */
export const NODE_DEFAULT_CIPHERS_18_20 =
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA';

/** The default `ciphers` of a Node version. */
export function nodeDefaultCipherList(_nodeVersion: string): string {
  return NODE_DEFAULT_CIPHERS_18_20;
}
