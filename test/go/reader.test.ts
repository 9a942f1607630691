/**
 * The Go reader's contract beyond the fixtures: every other file (go.mod, certificates) comes
 * through the ReadContext door, a file with a tree-sitter error region is still read where its
 * tree is sound and the error is reported only when the region hides a TLS setting, and
 * `//go:debug` counts only before the package clause.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { goDebugDirectives, parseGoMod } from '../../src/config/go-mod.js';
import { Targets } from '../../src/config/targets.js';
import { readGoSources } from '../../src/languages/go/index.js';
import type { ReadContext } from '../../src/languages/reader.js';
import { knownAlternatives } from '../../src/model/setting.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A ReadContext over files that exist only in memory: whatever the reader sees, it asked the door for. */
function memoryContext(files: Record<string, string>, asked: string[] = []): ReadContext {
  const get = (p: string) => {
    asked.push(p);
    return files[p];
  };
  return {
    targetsFor: () => new Targets(new Map()),
    policy: DEFAULT_POLICY,
    readFile: (p) => {
      const text = files[p];
      return text !== undefined ? { ok: true, text } : { ok: false, reason: 'missing' };
    },
    readText: get,
    readBytes: (p) => (get(p) !== undefined ? Buffer.from(files[p]!) : undefined),
  };
}

const SERVER =
  'package main\n\nimport "crypto/tls"\n\nfunc main() {\n\t_, _ = tls.Listen("tcp", ":443", &tls.Config{})\n}\n';

describe('files other than the source come through the ReadContext door', () => {
  it('go.mod that exists only behind the door sets the Go version and GODEBUG', async () => {
    const asked: string[] = [];
    const ctx = memoryContext(
      { '/virtual/mod/go.mod': 'module example.com/v\n\ngo 1.23\n\ngodebug tls10server=1\n' },
      asked,
    );
    const r = await readGoSources([{ path: '/virtual/mod/cmd/main.go', text: SERVER }], ctx);
    expect(asked).toContain('/virtual/mod/go.mod');
    const floor = knownAlternatives(r.contexts[0]!.protocols);
    expect(floor.map((s) => s.value[0])).toEqual(['TLSv1.0']);
    expect(JSON.stringify(floor)).toContain('tls10server=1 (a godebug line in go.mod');
  });

  it('tls.LoadX509KeyPair paths are resolved through the door, never from the disk', async () => {
    const asked: string[] = [];
    const text =
      'package main\n\nimport "crypto/tls"\n\nfunc main() {\n\tcert, _ := tls.LoadX509KeyPair("certs/server.pem", "certs/server.key")\n\t_, _ = tls.Listen("tcp", ":443", &tls.Config{Certificates: []tls.Certificate{cert}})\n}\n';
    const ctx = memoryContext({ '/virtual/app/certs/server.pem': 'PEM' }, asked);
    const r = await readGoSources([{ path: '/virtual/app/main.go', text }], ctx);
    expect(asked).toContain('/virtual/app/certs/server.pem');
    const material = r.contexts[0]!.material;
    expect(material.map((m) => [m.purpose, m.path])).toEqual([
      ['server-certificate', '/virtual/app/certs/server.pem'],
      ['server-key', undefined],
    ]);
  });

  it('the Go, Python and Envoy readers and the tree-sitter host import no file-system module', () => {
    const offenders: string[] = [];
    for (const dir of [
      'src/languages/go',
      'src/languages/python',
      'src/languages/envoy',
      'src/languages/tree-sitter',
    ]) {
      for (const name of readdirSync(path.join(ROOT, dir))) {
        if (!name.endsWith('.ts')) continue;
        const text = readFileSync(path.join(ROOT, dir, name), 'utf8');
        for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
          if (/^(node:)?fs(\/promises)?$/.test(ref.fileName))
            offenders.push(`${dir}/${name}: ${ref.fileName}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('tree-sitter error regions', () => {
  const ctx = memoryContext({});
  const read = (text: string) => readGoSources([{ path: '/virtual/p/main.go', text }], ctx);

  it('an error region that mentions no TLS setting: no error, the config after it is read', async () => {
    const text =
      'package main\n\nimport "crypto/tls"\n\nfunc helper( {\n\treturn 1 +\n}\n\nfunc main() {\n\t_, _ = tls.Dial("tcp", "x:443", &tls.Config{InsecureSkipVerify: true})\n}\n';
    const r = await read(text);
    expect(r.errors).toEqual([]);
    expect(r.contexts.map((c) => [c.role, c.peerVerification?.origin])).toEqual([
      ['client', 'explicit'],
    ]);
  });

  it('an error region that hides a TLS setting: a syntax error at its line, and the sound configs are still read', async () => {
    const text =
      'package main\n\nimport "crypto/tls"\n\nfunc broken() {\n\tc := &tls.Config{MinVersion: tls.VersionTLS10,, }\n\t_ = c\n}\n\nfunc main() {\n\t_, _ = tls.Dial("tcp", "x:443", &tls.Config{InsecureSkipVerify: true})\n}\n';
    const r = await read(text);
    expect(r.errors).toEqual([expect.objectContaining({ kind: 'syntax', line: 6 })]);
    expect(r.errors[0]!.message).toMatch(/TLS settings in this region were not read/);
    expect(
      r.contexts.some((c) => c.role === 'client' && c.peerVerification?.origin === 'explicit'),
    ).toBe(true);
  });

  it('in a Markdown fragment the same region is a notice, not an error', async () => {
    const text =
      'package main\n\nimport "crypto/tls"\n\nvar c = &tls.Config{MinVersion: tls.VersionTLS10,, }\n';
    const r = await readGoSources([{ path: '/virtual/doc/main.go', text }], ctx, {
      brokenIsNotice: true,
    });
    expect(r.errors).toEqual([]);
    expect(r.notices.map((n) => n.message)).toEqual([
      expect.stringMatching(/a fragment that does not parse as Go/),
    ]);
  });
});

describe('go.mod and //go:debug', () => {
  it('godebug lines and blocks are parsed with their positions', () => {
    const mod = parseGoMod(
      'module m\n\ngo 1.23\n\ngodebug x509sha1=1\ngodebug (\n\tdefault=go1.21\n\ttlssha1=1 // why\n)\n',
      '/m/go.mod',
    );
    expect([...mod.godebug]).toEqual([
      ['x509sha1', '1'],
      ['default', 'go1.21'],
      ['tlssha1', '1'],
    ]);
    expect(mod.godebugAt.get('tlssha1')).toEqual({ line: 8, column: 2, length: 9 });
    expect(mod.godebugAt.get('x509sha1')).toEqual({ line: 5, column: 9, length: 10 });
  });

  it('a //go:debug in a _test.go file sets the test binary, not the program', async () => {
    const ctx = memoryContext({ '/virtual/t/go.mod': 'module example.com/t\n\ngo 1.22\n' });
    const r = await readGoSources(
      [
        { path: '/virtual/t/cmd/app/main.go', text: SERVER },
        {
          path: '/virtual/t/cmd/app/main_test.go',
          text: '//go:debug tls10server=1\n\npackage main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
        },
      ],
      ctx,
    );
    expect(r.contexts.map((c) => knownAlternatives(c.protocols).map((s) => s.value[0]))).toEqual([
      ['TLSv1.2'],
    ]);
  });

  it('//go:debug counts only before the package clause', () => {
    const text =
      '//go:debug tls10server=1\n//go:debug tlsrsakex=1,tls3des=1\n\npackage main\n\n//go:debug tlsunsafeekm=1\n';
    expect(goDebugDirectives(text).map((d) => [d.name, d.value, d.line, d.column])).toEqual([
      ['tls10server', '1', 1, 12],
      ['tlsrsakex', '1', 2, 12],
      ['tls3des', '1', 2, 24],
    ]);
  });
});
