/**
 * The runtime floor (`engines.node`): defaults of Node versions past their end of life are one
 * finding at the engines.node line; call sites are judged on the oldest supported version the
 * range admits; an explicit --target keeps per-site findings; fixes fit the target.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeRangeSupport, OLDEST_SUPPORTED_NODE } from '../../src/config/node-releases.js';
import { runMain } from '../support/cli.js';
import { writeRepo } from '../support/trees.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const SERVER =
  "const tls = require('tls');\nconst https = require('https');\nexports.a = tls.createServer({ key: 'k', cert: 'c' });\nexports.b = https.createServer({});\nexports.c = tls.connect(443, 'example.com');\n";

function project(engines: string): string {
  const pkg = `{\n  "name": "legacy-lib",\n  "version": "2.0.0",\n  "engines": {\n    "node": "${engines}"\n  }\n}\n`;
  return writeRepo('tls-lint-floor-', { 'package.json': pkg, 'lib/server.js': SERVER }, made);
}

interface JsonFinding {
  ruleId: string;
  file: string;
  line: number;
  message: string;
  fix?: string;
}

async function findings(cwd: string, args: string[] = []): Promise<JsonFinding[]> {
  const r = await runMain(
    ['--format', 'json', '--rule', 'insecure-protocol-version', ...args, '.'],
    { cwd },
  );
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

describe('engines.node runtime floor', () => {
  it('a range admitting Node 6 is one finding at engines.node, none per call site', async () => {
    const f = await findings(project('>=6'));
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual(['package.json:5']);
    const text = `${f[0]!.message} ${f[0]!.fix ?? ''}`;
    expect(text).toContain('admits Node 6');
    expect(text).toContain('TLS 1.0');
    expect(text).toContain(`>=${OLDEST_SUPPORTED_NODE}`);
    expect(text).not.toContain('minVersion: "TLSv1.2"');
  });

  it('a range whose floor is supported, or whose old lines default to TLS 1.2, says nothing', async () => {
    expect(await findings(project(`>=${OLDEST_SUPPORTED_NODE}`))).toEqual([]);
    // Node 12–20 are past their end of life, but their default minimum is TLS 1.2.
    expect(await findings(project('>=12'))).toEqual([]);
  });

  it('--target node=6 given by the user keeps per-site findings, with a fix Node 6 can take', async () => {
    const f = await findings(project('>=6'), ['--target', 'node=6']);
    expect(f.map((x) => `${x.file}:${x.line}`)).toEqual([
      'lib/server.js:3',
      'lib/server.js:4',
      'lib/server.js:5',
    ]);
    for (const x of f) {
      const text = `${x.message} ${x.fix ?? ''}`;
      expect(text).toContain('secureProtocol: "TLSv1_2_method"');
      expect(text).not.toContain('minVersion: "TLSv1.2"');
    }
  });

  it('--target node=10.16 has minVersion (backported), so the fix proposes it', async () => {
    const f = await findings(project('>=6'), ['--target', 'node=10.16']);
    expect(f.length).toBe(3);
    expect(`${f[0]!.message} ${f[0]!.fix ?? ''}`).toContain('minVersion: "TLSv1.2"');
  });
});

describe('reading engines.node ranges', () => {
  it('finds the oldest supported version a range admits', () => {
    expect(nodeRangeSupport('>=6')).toMatchObject({
      lowest: '6',
      oldestSupported: OLDEST_SUPPORTED_NODE,
    });
    expect(nodeRangeSupport('^18.17 || >=20')).toMatchObject({
      lowest: '18.17',
      oldestSupported: OLDEST_SUPPORTED_NODE,
    });
    expect(nodeRangeSupport(`>=${OLDEST_SUPPORTED_NODE}.3`)).toMatchObject({
      oldestSupported: `${OLDEST_SUPPORTED_NODE}.3`,
    });
    expect(nodeRangeSupport('>= 14 < 21')).toEqual({
      lowest: '14',
      unsupportedLines: [14, 15, 16, 17, 18, 19, 20],
    });
    expect(nodeRangeSupport('12 - 16')?.unsupportedLines).toEqual([12, 13, 14, 15, 16]);
    expect(nodeRangeSupport('8.x')).toEqual({ lowest: '8', unsupportedLines: [8] });
    expect(nodeRangeSupport('*')).toBeUndefined();
  });
});
