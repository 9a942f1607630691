/**
 * Hostile inputs for the readers built on tree-sitter (Go, Python) and for Envoy: deep nesting,
 * files near the size cap, bytes that are not UTF-8. Each must end in findings or in an error
 * with its kind (`too-deep`, `syntax`), never a crash, a hang (the test deadline) or an
 * internal error, and never hide the findings of the other files.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { rmSync } from 'node:fs';
import { lint } from '../../src/engine/lint.js';
import { writeRepo } from '../support/trees.js';

const DEADLINE = 60_000;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const run = (root: string) => lint({ paths: ['.'], cwd: root });
const rules = (r: Awaited<ReturnType<typeof run>>) =>
  r.findings.map((f) => `${path.basename(f.at.file)}:${f.ruleId}`);
const GO_BAD =
  'package main\n\nimport "crypto/tls"\n\nfunc main() {\n\t_, _ = tls.Dial("tcp", "example.com:443", &tls.Config{InsecureSkipVerify: true})\n}\n';
const PY_BAD =
  'import ssl\nctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\nctx.verify_mode = ssl.CERT_NONE\n';

describe('deep nesting', () => {
  test(
    'Go and Python nested past the stack: "too-deep" for that package or file, the others still linted',
    async () => {
      const root = repo({
        'deep/parens.go': `package deep\n\nimport "crypto/tls"\n\nvar x = ${'('.repeat(60_000)}1${')'.repeat(60_000)}\n\nvar C = &tls.Config{InsecureSkipVerify: true}\n`,
        'blocks/blocks.go': `package main\n\nimport "crypto/tls"\n\nfunc main() {\n${'if true {\n'.repeat(12_000)}_, _ = tls.Dial("tcp", "x:1", &tls.Config{})\n${'}\n'.repeat(12_000)}}\n`,
        'deep.py': `import ssl\nx = ${'['.repeat(60_000)}${']'.repeat(60_000)}\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n`,
        'ok/main.go': GO_BAD,
        'ok.py': PY_BAD,
      });
      const r = await run(root);
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) {
        expect(e.kind, e.message).toBe('too-deep');
        expect(e.message).toMatch(/^Too deeply nested to analyse/);
      }
      expect(r.errors.map((e) => path.basename(e.file))).toEqual(
        expect.arrayContaining(['parens.go', 'deep.py']),
      );
      expect(rules(r)).toEqual(
        expect.arrayContaining([
          'main.go:certificate-verification-disabled',
          'ok.py:certificate-verification-disabled',
        ]),
      );
    },
    DEADLINE,
  );

  test(
    'Envoy flow collections nested 500 deep: "too-deep", not an internal error',
    async () => {
      const root = repo({
        'envoy.yaml': `static_resources:\n  clusters:\n  - name: a\n    x: ${'['.repeat(500)}${']'.repeat(500)}\n`,
        'ok.py': PY_BAD,
      });
      const r = await run(root);
      expect(r.errors.map((e) => e.kind)).toEqual(['too-deep']);
      expect(rules(r)).toContain('ok.py:certificate-verification-disabled');
    },
    DEADLINE,
  );

  test(
    'a Go syntax error nested deep inside a TLS literal: one syntax error with its line, no crash',
    async () => {
      const root = repo({
        'broken/main.go': `package main\n\nimport "crypto/tls"\n\nfunc main() {\n\tx := ${'[('.repeat(20_000)} tls.Config{MinVersion: 1}\n}\n`,
        'ok/main.go': GO_BAD,
      });
      const r = await run(root);
      expect(r.errors.map((e) => [e.kind, path.relative(root, e.file)])).toEqual([
        ['syntax', path.join('broken', 'main.go')],
      ]);
      expect(r.errors[0]!.line).toEqual(expect.any(Number));
      expect(rules(r)).toContain('main.go:certificate-verification-disabled');
    },
    DEADLINE,
  );
});

describe('size and bytes', () => {
  test(
    'Go and Python files just under the 2 MiB cap are read whole: a setting at their end is found',
    async () => {
      const filler = 'x'.repeat(1_900_000);
      const root = repo({
        'big/main.go': `package main\n\nimport "crypto/tls"\n\nconst filler = \`${filler}\`\n\nfunc main() {\n\t_, _ = tls.Dial("tcp", "example.com:443", &tls.Config{InsecureSkipVerify: len(filler) > 0 || true})\n\t_, _ = tls.Dial("tcp", "example.com:443", &tls.Config{InsecureSkipVerify: true})\n}\n`,
        'big.py': `import ssl\nfiller = "${filler}"\n${PY_BAD.split('\n').slice(1).join('\n')}`,
      });
      const r = await run(root);
      expect(r.errors).toEqual([]);
      expect(rules(r)).toEqual(
        expect.arrayContaining([
          'main.go:certificate-verification-disabled',
          'big.py:certificate-verification-disabled',
        ]),
      );
    },
    DEADLINE,
  );

  test(
    'bytes that are not UTF-8 in Go and Python sources: read around them, findings at their lines',
    async () => {
      const root = repo({});
      const bad = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x80]);
      writeFileSync(
        path.join(root, 'main.go'),
        Buffer.concat([
          Buffer.from('package main\n\n// '),
          bad,
          Buffer.from(`\n${GO_BAD.split('\n').slice(1).join('\n')}`),
        ]),
      );
      writeFileSync(
        path.join(root, 'app.py'),
        Buffer.concat([Buffer.from('# '), bad, Buffer.from(`\n${PY_BAD}`)]),
      );
      const r = await run(root);
      expect(r.errors).toEqual([]);
      const lines = r.findings
        .filter((f) => f.ruleId === 'certificate-verification-disabled')
        .map((f) => `${path.basename(f.at.file)}:${f.at.line}`);
      expect(lines.sort()).toEqual(['app.py:4', 'main.go:8']);
    },
    DEADLINE,
  );
});

function repo(files: Record<string, string>): string {
  return writeRepo('tls-lint-hostile-ts-', files, dirs);
}
