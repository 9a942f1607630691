import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSIONS } from '../../src/model/protocol.js';
import { probe, TargetUnreachableError, type ProbeResult } from '../../src/probe/index.js';
import { toProbeJson } from '../../src/probe/report.js';
import {
  freePort,
  startGarbageServer,
  startSilentServer,
  type RunningServer,
} from '../support/servers.js';
import { fakeRawScanner } from './fake-raw.js';

/** Could-not-test must stay could-not-test: never "secure", never a hang. */
function expectNothingTested(r: ProbeResult): void {
  expect(r.tested).toBe(false);
  expect(r.clientAuth.requested.value).toBeNull();
  expect(r.clientAuth.required.value).toBeNull();
  expect(r.clientAuth.verified.value).toBeNull();
  expect(r.certificates.chain).toEqual([]);
  expect(r.certificates.hostname.matches).toBeNull();
  expect(r.certificates.trusted.value).toBeNull();
  expect(r.findings).toEqual([]);
  const json = toProbeJson(r);
  expect(json.clientAuth).toMatchObject({ requested: null, required: null, verified: null });
}

const unknownScan = fakeRawScanner({
  protocols: Object.fromEntries(PROTOCOL_VERSIONS.map((v) => [v, null])),
  ciphers: {},
  groups: null,
  requested12: null,
  requested13: null,
});

describe('servers that do not speak TLS', () => {
  let silent: RunningServer;
  let garbage: RunningServer;
  beforeAll(async () => {
    silent = await startSilentServer();
    garbage = await startGarbageServer();
  });
  afterAll(async () => {
    await silent.close();
    await garbage.close();
  });

  it('a silent server ends in could-not-test within the deadline', {
    timeout: 10_000,
  }, async () => {
    const r = await probe(`127.0.0.1:${silent.port}`, { timeoutMs: 800, rawScan: unknownScan });
    expectNothingTested(r);
    expect(r.clientAuth.required.evidence).toMatch(
      /^without a client certificate the handshake did not complete within 800 ms$/,
    );
  });

  it('a garbage server ends in could-not-test', { timeout: 10_000 }, async () => {
    const r = await probe(`127.0.0.1:${garbage.port}`, { timeoutMs: 800, rawScan: unknownScan });
    expectNothingTested(r);
    expect(r.clientAuth.required.evidence).toMatch(/handshake failed/);
  });

  it('a failing raw scan is reported, not thrown', { timeout: 10_000 }, async () => {
    const r = await probe(`127.0.0.1:${garbage.port}`, {
      timeoutMs: 800,
      rawScan: () => Promise.reject(new Error('boom')),
    });
    expect(r.scanError).toBe('boom');
    expect(r.notes.join('\n')).toContain('boom');
    expectNothingTested(r);
    expect(toProbeJson(r).protocols).toEqual({
      SSLv2: null,
      SSLv3: null,
      'TLSv1.0': null,
      'TLSv1.1': null,
      'TLSv1.2': null,
      'TLSv1.3': null,
    });
  });

  it('a closed port is "unreachable"', { timeout: 10_000 }, async () => {
    const port = await freePort();
    await expect(
      probe(`127.0.0.1:${port}`, { timeoutMs: 800, rawScan: unknownScan }),
    ).rejects.toBeInstanceOf(TargetUnreachableError);
  });

  describe('with the real raw scan', () => {
    for (const kind of ['silent', 'garbage'] as const) {
      it(`a ${kind} server: every protocol could not be tested or was refused, nothing accepted`, {
        timeout: 30_000,
      }, async () => {
        const server = kind === 'silent' ? silent : garbage;
        const r = await probe(`127.0.0.1:${server.port}`, { timeoutMs: 800 });
        expectNothingTested(r);
        for (const v of PROTOCOL_VERSIONS) expect(r.scan?.protocols[v] === true).toBe(false);
      });
    }
  });
});
