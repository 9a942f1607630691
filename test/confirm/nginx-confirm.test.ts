/**
 * Confirm mode end to end against one real nginx tree (test/confirm/nginx-tree.ts): each
 * finding's status is what the server really does, checked with `openssl s_client` and sslscan
 * as independent oracles; a drift case edits a site file after nginx has read it; an endpoint
 * that is down leaves its findings inconclusive and the run is not a pass.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { confirm, type ConfirmResult } from '../../src/confirm/index.js';
import { lint, type LintResult } from '../../src/engine/lint.js';
import { ruleDocsUrl } from '../../src/engine/rule-api.js';
import type { Finding } from '../../src/model/finding.js';
import { PLAIN } from '../../src/report/colors.js';
import { toSarif } from '../../src/report/sarif.js';
import { formatStylish } from '../../src/report/stylish.js';
import { jsonReport, runMain } from '../support/cli.js';
import { freePort } from '../support/servers.js';
import { haveProgram, whichProgram } from '../support/system.js';
import { startNginxTree, writeDownTree, type CaseName, type NginxTree } from './nginx-tree.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const haveAll = haveProgram('nginx') && haveProgram('openssl');

/** `openssl s_client` with a GET; `completed` when a session was established. */
function sClient(
  port: number,
  args: readonly string[],
): Promise<{ completed: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      whichProgram('openssl')!,
      [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-servername',
        'localhost',
        '-ign_eof',
        ...args,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({
        completed:
          /Cipher is (?!\(NONE\))/.test(output) &&
          !/handshake failure|no protocols available|alert/i.test(output.split('---')[0] ?? ''),
        output,
      });
    });
    child.stdin.end('GET / HTTP/1.0\r\nHost: localhost\r\n\r\n');
  });
}

const ALL_CIPHERS = ['-cipher', 'ALL:eNULL:@SECLEVEL=0'];

describe.skipIf(!haveAll)('--confirm against a real nginx tree', () => {
  let tree: NginxTree;
  let linted: LintResult;
  let confirmed: ConfirmResult;
  let cli: {
    code: number;
    stdout: string;
    stderr: string;
    json: {
      findings: Array<{
        ruleId: string;
        file: string;
        line: number;
        probe?: Record<string, unknown> & {
          status: string;
          endpoints?: Array<{ status: string; endpoint: string }>;
        };
      }>;
      endpoints: Array<Record<string, unknown>>;
    };
  };

  /** The conf-relative file and the line of a directive inside a case's server{}. */
  const lineOf = (name: CaseName, directive: string): number => {
    const lines = fs.readFileSync(tree.conf + '/nginx.conf', 'utf8').split('\n');
    const start = tree.serverLine(name) - 1;
    const offset = lines.slice(start).findIndex((l) => l.includes(directive));
    return start + offset + 1;
  };
  const httpLine = (directive: string) =>
    fs
      .readFileSync(tree.conf + '/nginx.conf', 'utf8')
      .split('\n')
      .findIndex((l) => l.trim().startsWith(directive)) + 1;

  beforeAll(async () => {
    tree = await startNginxTree();
    // Drift: after nginx has read it, the site file is "fixed" (no static-RSA CBC suite, client
    // certificates required, another certificate), but the running server was not reloaded.
    const before = fs.readFileSync(tree.driftFile, 'utf8');
    fs.writeFileSync(
      tree.driftFile,
      before.replace(
        'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA;',
        'ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256;\n  ssl_verify_client on;\n  ssl_client_certificate pki/client-ca.crt;\n  ssl_certificate pki/other.crt;\n  ssl_certificate_key pki/other.key;',
      ),
    );
    // The command line (JSON), then the same pipeline in process for the other reports.
    const res = await runMain([
      path.join(tree.conf, 'nginx.conf'),
      '--confirm',
      '--format',
      'json',
      '--probe-timeout',
      '4000',
    ]);
    cli = { ...res, json: JSON.parse(res.stdout) };
    linted = await lint({ paths: [tree.conf] });
    confirmed = await confirm(
      {
        findings: linted.findings,
        contexts: linted.contexts,
        cwd: linted.cwd,
        targetsFor: linted.targetsFor,
        lineText: () => '',
      },
      { policy: DEFAULT_POLICY, timeoutMs: 4000 },
    );
  }, 90_000);
  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await tree?.stop();
  });

  const at = (findings: readonly Finding[], ruleId: string, file: string, line: number) =>
    findings.filter((f) => f.ruleId === ruleId && f.at.file === file && f.at.line === line);
  const main = () => path.join(tree.conf, 'nginx.conf');

  it('TLS 1.0/1.1 in a server whose OpenSSL 3 refuses them: refuted with the security level as reason (s_client agrees)', async () => {
    const [f] = at(
      confirmed.findings,
      'insecure-protocol-version',
      main(),
      lineOf('legacy', 'ssl_protocols'),
    );
    expect(f?.probe).toMatchObject({
      status: 'refuted',
      endpoint: `127.0.0.1:${tree.ports.legacy}`,
      sni: 'localhost',
    });
    expect(f!.probe!.evidence).toMatch(/^TLS 1\.0 and TLS 1\.1 refused: OpenSSL security level/);
    for (const version of ['-tls1', '-tls1_1'])
      expect((await sClient(tree.ports.legacy, [version, ...ALL_CIPHERS])).completed).toBe(false);
    expect((await sClient(tree.ports.legacy, ['-tls1_2', ...ALL_CIPHERS])).completed).toBe(true);
  });

  it('an http{}-level TLS 1.0 inherited by every server: confirmed where @SECLEVEL=0 lets it in, the evidence lists each endpoint', async () => {
    const [f] = at(
      confirmed.findings,
      'insecure-protocol-version',
      main(),
      httpLine('ssl_protocols'),
    );
    expect(f?.probe?.status).toBe('confirmed');
    expect(f!.probe!.endpoint).toBe(`127.0.0.1:${tree.ports.nullAnon}`);
    const inheriting: CaseName[] = [
      'nullAnon',
      'weakKey',
      'optional',
      'optionalNoCa',
      'on',
      'proxy',
      'drift',
    ];
    const byEndpoint = Object.fromEntries(f!.probe!.endpoints!.map((e) => [e.endpoint, e.status]));
    expect(Object.keys(byEndpoint).sort()).toEqual(
      inheriting.map((n) => `127.0.0.1:${tree.ports[n]}`).sort(),
    );
    for (const n of inheriting)
      expect(byEndpoint[`127.0.0.1:${tree.ports[n]}`], n).toBe(
        n === 'nullAnon' ? 'confirmed' : 'refuted',
      );
    expect((await sClient(tree.ports.nullAnon, ['-tls1', ...ALL_CIPHERS])).completed).toBe(true);
    expect((await sClient(tree.ports.optional, ['-tls1', ...ALL_CIPHERS])).completed).toBe(false);
  });

  it('NULL and anonymous suites with @SECLEVEL=0: confirmed (s_client negotiates them)', async () => {
    const line = lineOf('nullAnon', 'ssl_ciphers');
    const found = at(confirmed.findings, 'insecure-cipher-suite', main(), line);
    expect(found.map((f) => f.probe?.status)).toEqual(['confirmed', 'confirmed']);
    expect(found.map((f) => f.probe!.evidence).join(' ')).toMatch(
      /NULL-SHA256[\s\S]*AECDH-AES128-SHA|AECDH-AES128-SHA[\s\S]*NULL-SHA256/,
    );
    for (const suite of ['NULL-SHA256', 'AECDH-AES128-SHA']) {
      const r = await sClient(tree.ports.nullAnon, ['-tls1_2', '-cipher', `${suite}:@SECLEVEL=0`]);
      expect(r.completed, suite).toBe(true);
      expect(r.output).toContain(`Cipher is ${suite}`);
    }
  });

  it('a 1024-bit certificate: confirmed (s_client sees a 1024-bit server key)', async () => {
    const [f] = at(confirmed.findings, 'weak-key', main(), lineOf('weakKey', 'ssl_certificate '));
    expect(f?.probe?.status).toBe('confirmed');
    expect((await sClient(tree.ports.weakKey, ALL_CIPHERS)).output).toContain(
      'Server public key is 1024 bit',
    );
  });

  it('ssl_verify_client optional / optional_no_ca: confirmed; on: no finding and no drift (s_client sees 200 without a certificate, 400 for on)', async () => {
    const [optional] = at(
      confirmed.findings,
      'client-certificate-not-required',
      main(),
      lineOf('optional', 'ssl_verify_client'),
    );
    expect(optional?.probe?.status).toBe('confirmed');
    const [noCa] = at(
      confirmed.findings,
      'client-certificate-not-verified',
      main(),
      lineOf('optionalNoCa', 'ssl_verify_client'),
    );
    expect(noCa?.probe?.status).toBe('confirmed');
    const onStart = tree.serverLine('on');
    expect(
      confirmed.findings.filter(
        (f) => f.at.file === main() && f.at.line >= onStart && f.at.line <= onStart + 6,
      ),
    ).toEqual([]);
    expect((await sClient(tree.ports.optional, ALL_CIPHERS)).output).toMatch(/HTTP\/1\.1 200/);
    const unverified = await sClient(tree.ports.optionalNoCa, [
      '-cert',
      tree.pki.file('client', 'crt'),
      '-key',
      tree.pki.file('client', 'key'),
      ...ALL_CIPHERS,
    ]);
    expect(unverified.output).toMatch(/HTTP\/1\.1 200/);
    expect((await sClient(tree.ports.on, ALL_CIPHERS)).output).toMatch(
      /400 No required SSL certificate was sent/,
    );
  });

  it('proxy_pass https:// (an upstream the server verifies, or not): not probed, with why', () => {
    const line = lineOf('proxy', 'proxy_pass');
    const [f] = at(confirmed.findings, 'certificate-verification-disabled', main(), line);
    expect(f?.probe?.status).toBe('not-probed');
    expect(f!.probe!.evidence).toMatch(/TLS client/);
    const [protocols] = at(confirmed.findings, 'insecure-protocol-version', main(), line);
    expect(protocols?.probe).toMatchObject({ status: 'not-probed' });
  });

  it('drift: the site file edited after nginx started gives live-only findings at its server block, and nowhere else (sslscan agrees)', async () => {
    const live = confirmed.findings.filter((f) => f.probe?.status === 'live-only');
    expect(live.every((f) => f.at.file === tree.driftFile && f.at.line === 1)).toBe(true);
    expect(live.map((f) => f.ruleId).sort()).toEqual([
      'cbc-cipher-suite',
      'client-certificate-not-required',
      'config-drift',
      'no-forward-secrecy',
    ]);
    expect(live.find((f) => f.ruleId === 'no-forward-secrecy')!.message).toMatch(
      /^Live only: AES128-SHA accepted on 127\.0\.0\.1:\d+ \(SNI "localhost"\).*"ssl_ciphers"/,
    );
    const mtls = live.find((f) => f.ruleId === 'client-certificate-not-required')!;
    expect(mtls.message).toContain('requires a client certificate ("ssl_verify_client" "on"');
    expect(mtls.probe!.evidence).toContain('The server does not request a client certificate');
    // judged as required because its configuration means mTLS, not because of a --mtls flag nobody passed
    expect(`${mtls.message} ${mtls.probe!.evidence}`).not.toContain('--mtls required');
    expect((await sClient(tree.ports.drift, ALL_CIPHERS)).output).toMatch(
      /No client certificate CA names sent[\s\S]*HTTP\/1\.1 200/,
    );
    expect(live.find((f) => f.ruleId === 'config-drift')!.message).toMatch(
      /serves certificate "CN=localhost".*names another certificate \("ssl_certificate pki\/other\.crt": "CN=other\.localhost"/,
    );
    const aes = await sClient(tree.ports.drift, ['-tls1_2', '-cipher', 'AES128-SHA:@SECLEVEL=0']);
    expect(aes.completed).toBe(true);
    expect(aes.output).toMatch(/subject=CN ?= ?localhost/);
    if (haveProgram('sslscan')) {
      const xml = await new Promise<string>((resolve, reject) =>
        execFile(
          whichProgram('sslscan')!,
          [
            '--xml=-',
            '--no-colour',
            '--no-heartbleed',
            '--no-fallback',
            '--no-renegotiation',
            '--no-compression',
            '--no-groups',
            `127.0.0.1:${tree.ports.drift}`,
          ],
          { timeout: 30_000 },
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an ExecFileException is an Error
          (e, out) => (e ? reject(e) : resolve(out)),
        ),
      );
      expect(xml).toMatch(/cipher="AES128-SHA"/);
    }
  });

  it('stylish marks each finding and ends with counts per status; SARIF carries the status', () => {
    const text = formatStylish(confirmed.findings, linted.errors, {
      cwd: linted.cwd,
      palette: PLAIN,
      sourceOf: () => undefined,
      endpoints: confirmed.endpoints,
    });
    expect(text).toMatch(
      /error {4}✗ TLS 1\.0 and TLS 1\.1 enabled in server\{\} "localhost": "ssl_protocols" is "TLSv1 TLSv1\.1 TLSv1\.2" {2}\[insecure-protocol-version\]\n {19}help: allow only TLS 1\.2 and TLS 1\.3 \("ssl_protocols TLSv1\.2 TLSv1\.3"\)\n/,
    );
    expect(text).toMatch(
      /✗ refuted on 127\.0\.0\.1:\d+ \(SNI "localhost"\): TLS 1\.0 and TLS 1\.1 refused: OpenSSL security level/,
    );
    expect(text).toMatch(
      /error {4}✓ The certificate "CN=localhost" has an RSA key .*: in "pki\/weak\.crt"/,
    );
    expect(text).toMatch(/error {4}– Server certificate verification is disabled in proxy_pass/);
    expect(text).toMatch(/! live only on 127\.0\.0\.1:\d+/);
    const count = (s: string) => confirmed.findings.filter((f) => f.probe?.status === s).length;
    expect(text).toContain(
      `Confirm: ${count('confirmed')} ✓ confirmed, ${count('refuted')} ✗ refuted, ${count('inconclusive')} ? inconclusive, ${count('not-probed')} – not probed, ${count('live-only')} ! live only — 8 endpoints probed`,
    );
    expect(count('confirmed')).toBeGreaterThanOrEqual(6);

    const sarif = toSarif(
      confirmed.findings,
      linted.errors,
      RULES,
      linted.cwd,
      '0.0.0',
      ruleDocsUrl,
      [],
      { endpoints: confirmed.endpoints },
    ) as {
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string }> } };
        results: Array<{ ruleId: string; ruleIndex: number; properties: Record<string, unknown> }>;
      }>;
    };
    const run = sarif.runs[0]!;
    expect(run.results.map((r) => r.properties.probeStatus).sort()).toEqual(
      confirmed.findings.map((f) => f.probe!.status).sort(),
    );
    const drift = run.results.find((r) => r.ruleId === 'config-drift')!;
    expect(run.tool.driver.rules[drift.ruleIndex]!.id).toBe('config-drift');
    expect(drift.properties).toMatchObject({
      probeStatus: 'live-only',
      probeEndpoint: `127.0.0.1:${tree.ports.drift}`,
      probeSni: 'localhost',
    });
  });

  it('the CLI: JSON carries probe on findings and the endpoints, exit code 1', () => {
    expect(cli.code, cli.stderr).toBe(1);
    const json = cli.json;
    expect(json.endpoints).toHaveLength(8);
    for (const e of json.endpoints)
      expect(e).toMatchObject({
        sni: 'localhost',
        reachable: true,
        tested: true,
        source: { file: expect.stringMatching(/nginx\.conf$|drift\.conf$/) },
      });
    expect(
      json.endpoints.find((e) => e.endpoint === `127.0.0.1:${tree.ports.legacy}`)!.source,
    ).toMatchObject({ line: tree.serverLine('legacy') + 1 });
    expect(json.findings.every((f) => f.probe && typeof f.probe.evidence === 'string')).toBe(true);
    // Same verdicts as the in-process run (each endpoint probed once per run, same results).
    const key = (f: { ruleId: string; line: number; probe?: { status: string } }) =>
      `${f.ruleId}:${f.line}:${f.probe?.status}`;
    expect(json.findings.map(key).sort()).toEqual(
      confirmed.findings
        .map((f) => key({ ruleId: f.ruleId, line: f.at.line, probe: f.probe! }))
        .sort(),
    );
  });

  it('an endpoint that is down: its findings are inconclusive and the run says so; --endpoint maps it to a live address', async () => {
    const closed = await freePort();
    const down = writeDownTree(tree.pki, closed);
    try {
      const res = await runMain([
        down.conf,
        '--confirm',
        '--format',
        'json',
        '--probe-timeout',
        '2000',
      ]);
      // Clean otherwise (only a rule without findings): still not a pass.
      const clean = await runMain([
        down.conf,
        '--confirm',
        '--rule',
        'weak-key',
        '--probe-timeout',
        '2000',
      ]);
      // The same server reached under another address: the nullAnon server accepts TLS 1.0.
      const mapped = await runMain([
        down.conf,
        '--confirm',
        '--format',
        'json',
        '--endpoint',
        `down.test=127.0.0.1:${tree.ports.nullAnon}`,
        '--confirmed-only',
      ]);
      expect(res.code).toBe(1);
      const json = jsonReport(res.stdout);
      expect(json.endpoints).toEqual([
        {
          endpoint: `127.0.0.1:${closed}`,
          sni: 'down.test',
          source: { file: expect.stringMatching(/nginx\.conf$/), line: 4 },
          reachable: false,
          tested: false,
          durationMs: expect.any(Number),
          error: expect.stringContaining('ECONNREFUSED'),
        },
      ]);
      const own = withoutDefaultCiphers(json.findings);
      expect(own.map((f) => f.probe?.status)).toEqual(['inconclusive']);
      expect(own[0]?.probe?.evidence).toMatch(/could not be reached: .*ECONNREFUSED/);
      expect(res.stderr).toMatch(
        /1 of 1 endpoint\(s\) could not be probed, their findings are inconclusive/,
      );
      expect(clean.code).toBe(2);
      expect(clean.stdout).toMatch(/0 ✓ confirmed.*1 endpoint probed; 1 could not be tested/);
      expect(mapped.code).toBe(1);
      const m = jsonReport(mapped.stdout);
      expect(m.endpoints?.[0]).toMatchObject({
        endpoint: `127.0.0.1:${tree.ports.nullAnon}`,
        sni: 'down.test',
        reachable: true,
        mappedBy: `down.test=127.0.0.1:${tree.ports.nullAnon}`,
      });
      expect(m.findings.map((f) => `${f.ruleId}:${f.probe?.status ?? 'none'}`)).toContain(
        'insecure-protocol-version:confirmed',
      );
      expect(
        m.findings.every((f) => ['confirmed', 'live-only'].includes(f.probe?.status ?? 'none')),
      ).toBe(true);

      // By file:line (a line of the server block) instead of the name; SNI stays the config's name.
      const byLine = await runMain([
        down.conf,
        '--confirm',
        '--format',
        'json',
        '--endpoint',
        `${down.conf}:5=127.0.0.1:${tree.ports.legacy}`,
      ]);
      const l = jsonReport(byLine.stdout);
      expect(l.endpoints?.[0]).toMatchObject({
        endpoint: `127.0.0.1:${tree.ports.legacy}`,
        sni: 'down.test',
        tested: true,
      });
      expect(
        withoutDefaultCiphers(l.findings).map((f) => `${f.ruleId}:${f.probe?.status ?? 'none'}`),
      ).toEqual(['insecure-protocol-version:refuted']);
    } finally {
      down.cleanup();
    }
  });

  it('--endpoint or --confirmed-only without --confirm, and a malformed --endpoint, are usage errors before anything is probed', async () => {
    const a = await runMain([main(), '--endpoint', 'x=127.0.0.1:1']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--endpoint needs --confirm');
    expect((await runMain([main(), '--confirmed-only'])).stderr).toContain(
      '--confirmed-only needs --confirm',
    );
    const b = await runMain([main(), '--confirm', '--endpoint', 'localhost']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('expected <server name or file:line>=<host:port>');
    expect(b.stdout).toBe('');
  });
});
