/**
 * Code in Markdown: blocks are read by their language's own reader, findings land on the block's
 * real lines, suppressions work (before a fence and inside a block), a broken fragment is a
 * notice, and the suppression parser's -next-block covers exactly one fenced block.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { parseSuppressions } from '../../src/engine/suppress.js';
import { fencedBlocks } from '../../src/languages/markdown/index.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');

describe('Markdown code blocks', () => {
  it('lints Go, JS, nginx and shell blocks at their lines in the document', async () => {
    const result = await lint({
      paths: [path.join(FIXTURES, 'markdown/README.md')],
      cwd: FIXTURES,
    });
    const found = withoutDefaultCiphers(result.findings).map(
      (f) => `${f.at.line} ${f.ruleId} ${f.language}`,
    );
    expect(found).toEqual([
      '7 insecure-protocol-version go', // wrapped fragment
      '20 certificate-verification-disabled go', // whole Go file
      '36 insecure-protocol-version node',
      '46 insecure-protocol-version nginx',
      '53 certificate-verification-disabled env',
    ]);
    expect(result.findings.every((f) => f.at.file.endsWith('README.md'))).toBe(true);
    // line 28 is in the block disabled by the HTML comment, line 39 under a disable-next-line
    expect(result.errors).toEqual([]);
    expect(
      result.notices.some((n) => /code block at line 58 \(go\) was not read/.test(n.message)),
    ).toBe(true);
  });

  it('lints Python blocks and Envoy YAML blocks at their lines; other YAML stays silent', async () => {
    const result = await lint({
      paths: [path.join(FIXTURES, 'markdown/runbook.md')],
      cwd: FIXTURES,
    });
    expect(result.findings.map((f) => `${f.at.line} ${f.ruleId} ${f.language}`)).toEqual([
      '8 certificate-verification-disabled python',
      '16 insecure-protocol-version python',
      '33 certificate-verification-disabled envoy',
    ]);
    expect(result.errors).toEqual([]);
  });

  it('finds fences with ``` and ~~~, info strings and unclosed blocks', () => {
    const blocks = fencedBlocks(
      'x\n```Go title="a"\na\n```\n  ~~~~ nginx\nb\n~~~~\n```js\nunclosed',
    );
    expect(blocks.map((b) => [b.lang, b.open, b.close])).toEqual([
      ['go', 1, 3],
      ['nginx', 4, 6],
      ['js', 7, 9],
    ]);
    expect(fencedBlocks('```go tls-lint:bad\nx\n```')[0]!.badExample).toBe(true);
  });

  it('-next-block suppresses one fenced block, fences included', () => {
    const s = parseSuppressions(
      '<!-- tls-lint-disable-next-block weak-key -- example -->\n\n```go\na\n```\nb\n```go\nc\n```',
    );
    expect([3, 4, 5].map((l) => s.isSuppressed('weak-key', l))).toEqual([true, true, true]);
    expect(s.isSuppressed('weak-key', 8)).toBe(false);
    expect(s.isSuppressed('insecure-protocol-version', 4)).toBe(false);
  });
});
