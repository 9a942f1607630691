/**
 * A cheap text test run before a JS/TS file is parsed: can this file hold a TLS setting at all?
 *
 * Every context the extractor finds starts from one of these words: a TLS module or API (`tls`,
 * `https`, `http2`, `undici`, `crypto.createCredentials`, `constants.SSL_OP_*`), a TLS option
 * name (`rejectUnauthorized`, `ciphers`, `minVersion`, `secureProtocol`, `requestCert`, …),
 * a library's verification switch (`strictSSL`, `tlsInsecure`, `sslValidate`, http-proxy's
 * `secure`), a connection-string parameter (`sslmode`, `rediss:`), or the
 * `NODE_TLS_REJECT_UNAUTHORIZED` variable. The words are matched as substrings, so the test errs
 * on the side of parsing, with three exceptions that keep most of a large tree out:
 * - `https` in a URL (`https://…`, in license headers and doc comments) or a URL pattern
 *   (`/^https?:/`) does not count: a URL alone configures nothing; the module is named
 *   `'https'` or `https.`, and a client's options carry their own words;
 * - `ssl` counts as `ssl`, `SSL` or `Ssl`, not inside camel-case words (`classList`,
 *   `processLabels`);
 * - of the `crypto` module, only `createCredentials` configures TLS (`crypto.constants.SSL_OP_*`
 *   names SSL).
 * `test/node/prefilter.test.ts` and `test/engine/prefilters.test.ts` run every fixture, example and
 * the project's own sources through it: a file with a TLS context must pass.
 * @public bench/lint-bench.mjs imports it from dist/.
 */
export const TLS_WORDS =
  /tls|https(?![?]|:\/\/)|http2|undici|createcredentials|cipher|secure|unauthorized|servername|minversion|maxversion|ecdhcurve|requestcert|checkserveridentity|dhparam|pfx|honorcipherorder|sigalgs|passphrase/i;
/**
 * `ssl`, in the cases it is written in (`sslmode`, `SSL_OP_`, `useSsl`), case-sensitive.
 * @public bench/lint-bench.mjs imports it from dist/.
 */
export const SSL_WORD = /ssl|SSL|Ssl/;

export function mayConfigureTls(text: string): boolean {
  return TLS_WORDS.test(text) || SSL_WORD.test(text);
}
