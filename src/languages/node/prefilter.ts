/**
 * A cheap text test run before a JS/TS file is parsed: can this file hold a TLS setting at all?
 *
 * Every context the extractor finds starts from one of these words: a TLS module or API (`tls`,
 * `https`, `http2`, `undici`, `crypto.createCredentials`, `constants.SSL_OP_*`), a TLS option
 * name (`rejectUnauthorized`, `ciphers`, `minVersion`, `secureProtocol`, `requestCert`, …),
 * a library's verification switch (`strictSSL`, `tlsInsecure`, `sslValidate`, http-proxy's
 * `secure`), a connection-string parameter (`sslmode`, `rediss:`), or the
 * `NODE_TLS_REJECT_UNAUTHORIZED` variable. The words are matched case-insensitively and as
 * substrings, so the test errs on the side of parsing. `test/node/prefilter.test.ts` runs every
 * fixture, example and the project's own sources through it: a file with findings must pass.
 */
const TLS_WORDS =
  /tls|ssl|https|http2|undici|crypto|cipher|secure|unauthorized|servername|minversion|maxversion|ecdhcurve|requestcert|checkserveridentity|dhparam|pfx|honorcipherorder|sigalgs|passphrase/i;

export function mayConfigureTls(text: string): boolean {
  return TLS_WORDS.test(text);
}
