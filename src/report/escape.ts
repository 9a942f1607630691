/**
 * Text that reaches a terminal comes from files, configs and remote servers: none of it may
 * move the cursor, change colours, clear the screen or start a line of its own. Every value the
 * human reports print goes through {@link escapeControl}; JSON and SARIF need nothing more than
 * JSON.stringify (which escapes C0 itself).
 */

/**
 * C0 controls except tab, DEL, C1 controls, the Unicode line and paragraph separators and the
 * bidirectional overrides and isolates (text that reads differently than it is).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\e' };

/** `\n`, `\r`, `\e` for ESC, `\xNN` for other C0/C1 bytes, `\u{NNNN}` for the Unicode ones. */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const named = NAMED[ch];
    if (named) return named;
    const code = ch.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

/**
 * A path as the human report shows it: control characters escaped, and a relative name that
 * starts with `-` written `./-name`, so that pasting it into a command cannot turn it into an
 * option.
 */
export function displayPath(rel: string): string {
  const safe = escapeControl(rel);
  return safe.startsWith('-') ? `./${safe}` : safe;
}
