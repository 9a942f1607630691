import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetDetector } from '../../src/config/detect.js';
import {
  Targets,
  compareVersions,
  lowestVersionInRange,
  parseTargetArgs,
  UsageError,
} from '../../src/config/targets.js';
import { discoverFiles } from '../../src/engine/discover.js';
import { fingerprintOf } from '../../src/engine/fingerprint.js';
import { exceedsThreshold, lint } from '../../src/engine/lint.js';
import { parseSuppressions } from '../../src/engine/suppress.js';
import type { LanguageReader } from '../../src/languages/reader.js';
import { explicit } from '../../src/model/setting.js';
import { newContext } from '../../src/model/context.js';
import type { Finding } from '../../src/model/finding.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-engine-'));
  const w = (rel: string, text: string | Buffer) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  w('.gitignore', 'build/\n*.gen.js\n');
  w('a.js', 'a');
  w('x.gen.js', 'x');
  w('build/b.js', 'b');
  w('sub/.tls-lintignore', 'secret.js\n');
  w('sub/secret.js', 's');
  w('sub/ok.js', 'o');
  w('node_modules/m/index.js', 'm');
  w('bin.js', Buffer.from([0x61, 0x00, 0x62]));
  w('big.js', 'x'.repeat(3 * 1024 * 1024));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('discoverFiles', () => {
  it('honours .gitignore and nested .tls-lintignore, never enters node_modules', () => {
    const { files } = discoverFiles(['.'], dir);
    const rel = files.map((f) => path.relative(dir, f.path)).sort();
    expect(rel).toEqual([
      '.gitignore',
      'a.js',
      'big.js',
      'bin.js',
      'sub/.tls-lintignore',
      'sub/ok.js',
    ]);
  });
  it('returns explicitly named files even when ignored, and reports missing paths', () => {
    const { files, missing } = discoverFiles(['build/b.js', 'nope.js'], dir);
    expect(files).toEqual([{ path: path.join(dir, 'build/b.js'), explicit: true }]);
    expect(missing).toEqual(['nope.js']);
  });
  it('lists a file once when the paths given overlap, in the order given', () => {
    const { files } = discoverFiles(['sub/ok.js', '.', 'sub', 'a.js'], dir);
    expect(files.map((f) => [path.relative(dir, f.path), f.explicit])).toEqual([
      ['sub/ok.js', true],
      ['.gitignore', false],
      ['a.js', false],
      ['big.js', false],
      ['bin.js', false],
      ['sub/.tls-lintignore', false],
    ]);
  });
});

/** A reader that makes one client context per `insecure` line, to test the pipeline alone. */
const lineReader: LanguageReader = {
  id: 'test',
  language: 'node',
  matchesPath: (p) => p.endsWith('.js'),
  claims: (f) => !f.text.includes('NOT-MINE'),
  read(files) {
    const contexts = files.flatMap((f) =>
      f.text.split('\n').flatMap((line, i) => {
        if (line.includes('explode')) throw new Error('reader bug');
        if (!line.includes('insecure')) return [];
        const at = {
          file: f.path,
          line: i + 1,
          column: 1,
          endLine: i + 1,
          endColumn: line.length + 1,
        };
        return [
          newContext({
            id: `${f.path}#${i}`,
            language: 'node',
            role: 'client',
            at,
            label: 'test',
            api: 'test',
            recognition: 'known-api',
            peerVerification: explicit(false, at, 'rejectUnauthorized'),
          }),
        ];
      }),
    );
    return { contexts, errors: [] };
  },
};

describe('lint pipeline', () => {
  it('skips binaries and oversized files in a walk, and reports explicit ones as not checked', async () => {
    const walked = await lint({ paths: ['.'], cwd: dir, readers: [lineReader] });
    expect(walked.errors).toEqual([]);
    const named = await lint({ paths: ['big.js', 'bin.js'], cwd: dir, readers: [lineReader] });
    expect(named.errors.map((e) => `${path.basename(e.file)} ${e.kind}`)).toEqual([
      'big.js too-large',
      'bin.js binary',
    ]);
    expect(named.errors[0]!.message).toMatch(
      /^Not checked: too large to check \(\d+ bytes; the limit is \d+ bytes\)/,
    );
  });

  it('suppresses, de-duplicates, sorts and fingerprints findings', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'tls-lint-pipe-'));
    writeFileSync(
      path.join(d, 'f.js'),
      [
        'insecure one',
        '// tls-lint-disable-next-line certificate-verification-disabled -- test',
        'insecure two',
        'insecure three',
        'insecure one',
      ].join('\n'),
    );
    const r = await lint({ paths: ['.'], cwd: d, readers: [lineReader] });
    expect(r.findings.map((f) => f.at.line)).toEqual([1, 4, 5]);
    const [first, , last] = r.findings;
    expect(first!.fingerprint).not.toBe(last!.fingerprint); // same text, second occurrence
    expect(first!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    rmSync(d, { recursive: true, force: true });
  });

  it('a crashing reader becomes an error for its files, not a crash of the run', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'tls-lint-crash-'));
    writeFileSync(path.join(d, 'f.js'), 'explode\n');
    const r = await lint({ paths: ['.'], cwd: d, readers: [lineReader] });
    expect(r.errors[0]!.message).toContain('Internal error in the test reader: reader bug');
    rmSync(d, { recursive: true, force: true });
  });
});

describe('suppressions', () => {
  it('understands next-line, line and file directives in any comment syntax', () => {
    const s = parseSuppressions(
      [
        '# tls-lint-disable-next-line weak-key, insecure-protocol-version -- legacy',
        'x',
        'y // tls-lint-disable-line',
        '/* tls-lint-disable-file deprecated-tls-api */',
      ].join('\n'),
    );
    expect(s.isSuppressed('weak-key', 2)).toBe(true);
    expect(s.isSuppressed('insecure-protocol-version', 2)).toBe(true);
    expect(s.isSuppressed('certificate-verification-disabled', 2)).toBe(false);
    expect(s.isSuppressed('anything', 3)).toBe(true);
    expect(s.isSuppressed('deprecated-tls-api', 99)).toBe(true);
    expect(s.isSuppressed('weak-key', 99)).toBe(false);
  });
});

describe('targets', () => {
  it('parses --target values and rejects bad ones', () => {
    expect([...parseTargetArgs(['node=18', 'nginx=1.22,openssl=1.1.1'])]).toEqual([
      ['node', '18'],
      ['nginx', '1.22'],
      ['openssl', '1.1.1'],
    ]);
    expect(() => parseTargetArgs(['node'])).toThrow(UsageError);
    expect(() => parseTargetArgs(['java=17'])).toThrow(/unknown platform "java"/);
  });
  it('compares versions numerically', () => {
    expect(compareVersions('1.9', '1.22')).toBeLessThan(0);
    expect(compareVersions('1.27.3', '1.27.3')).toBe(0);
    expect(compareVersions('1.0.2h', '1.0.2a')).toBeGreaterThan(0);
  });
  it('reads the lowest version an engines.node range admits', () => {
    expect(lowestVersionInRange('>=18')).toBe('18');
    expect(lowestVersionInRange('^20.19.0 || ^22.13.0 || >=24')).toBe('20.19.0');
    expect(lowestVersionInRange('18.x')).toBe('18');
    expect(lowestVersionInRange('>=16 <22')).toBe('16');
    expect(lowestVersionInRange('*')).toBeUndefined();
  });
  it('CLI targets win over detected ones, which win over assumptions', () => {
    const t = new Targets(new Map([['nginx', '1.28']])).withDetected(
      () =>
        new Map([
          ['node', { version: '18', reason: 'engines.node' }],
          ['nginx', { version: '1.20', reason: 'x' }],
        ]),
    );
    expect(t.get('nginx')).toMatchObject({ version: '1.28', source: 'cli' });
    expect(t.get('node')).toMatchObject({ version: '18', source: 'detected' });
    expect(t.get('openssl')).toMatchObject({ version: '3.0', source: 'assumed' });
  });
  it('looks for detected targets on the first question only, once', () => {
    let looks = 0;
    const t = new Targets(new Map()).withDetected(() => {
      looks++;
      return new Map([['node', { version: '22', reason: 'engines.node' }]]);
    });
    expect(looks).toBe(0);
    expect(t.version('node')).toBe('22');
    expect(t.get('openssl').source).toBe('assumed');
    expect(looks).toBe(1);
  });
  it('detects engines.node from the nearest package.json', () => {
    const files: Record<string, string> = {
      '/p/package.json': '{"engines":{"node":">=18.17"}}',
      '/p/sub/package.json': '{"name":"x"}',
      '/q/package.json': '{"engines":{"node":"^16.13"}}',
    };
    const d = new TargetDetector((p) => files[p]);
    // The oldest version in upstream support the range admits (Node 18 and 20 are past their end of life).
    expect(d.forFile('/p/sub/deep/a.js').get('node')).toMatchObject({ version: '22' });
    // A range that admits no supported line keeps its lowest version.
    expect(d.forFile('/q/a.js').get('node')).toMatchObject({ version: '16.13' });
    expect(d.forFile('/other/a.js').get('node')).toBeUndefined();
  });
});

describe('thresholds and fingerprints', () => {
  const f = (severity: Finding['severity']) => ({ severity }) as Finding;
  it('errors fail; warnings fail unless --max-warnings allows them or --fail-on error', () => {
    expect(exceedsThreshold([f('error')], 'warning', undefined)).toBe(true);
    expect(exceedsThreshold([f('warning')], 'warning', undefined)).toBe(true);
    expect(exceedsThreshold([f('warning')], 'error', undefined)).toBe(false);
    expect(exceedsThreshold([f('warning'), f('warning')], 'warning', 2)).toBe(false);
    expect(exceedsThreshold([f('warning'), f('warning')], 'warning', 1)).toBe(true);
    expect(exceedsThreshold([f('info')], 'warning', undefined)).toBe(false);
    expect(exceedsThreshold([f('info')], 'info', undefined)).toBe(true);
  });
  it('fingerprints ignore indentation and line numbers but not the rule or file', () => {
    expect(fingerprintOf('r', 'a.js', '  x:  1', 0)).toBe(fingerprintOf('r', 'a.js', 'x: 1', 0));
    expect(fingerprintOf('r', 'a.js', 'x', 0)).not.toBe(fingerprintOf('s', 'a.js', 'x', 0));
    expect(fingerprintOf('r', 'a.js', 'x', 0)).not.toBe(fingerprintOf('r', 'b.js', 'x', 0));
  });
});

describe('a finding about a platform default, reported once per run', () => {
  it('names every context that relies on the default, so that confirm mode probes each', async () => {
    const d = mkdtempSync(path.join(tmpdir(), 'tls-lint-default-'));
    try {
      // Three Node servers without a cipher list: Node's default list is judged once.
      const server = (port: number) =>
        `require('https').createServer({ key: k, cert: c, minVersion: 'TLSv1.2' }).listen(${port});\n`;
      writeFileSync(
        path.join(d, 'a.js'),
        `const k = 'k', c = 'c';\n${server(8443)}${server(9443)}`,
      );
      writeFileSync(path.join(d, 'b.js'), `const k = 'k', c = 'c';\n${server(10443)}`);
      const r = await lint({ paths: [d], cwd: d });
      const once = r.findings.filter((f) => /also the default of/.test(f.message));
      expect(once.length).toBeGreaterThan(0);
      const servers = r.contexts.filter((c) => c.role === 'server').map((c) => c.id);
      expect(servers).toHaveLength(3);
      for (const f of once) expect([...(f.contextIds ?? [])].sort()).toEqual([...servers].sort());
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
