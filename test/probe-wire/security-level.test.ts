/**
 * OpenSSL 3 answers a TLS 1.0/1.1 hello with internal_error when the version is enabled but the
 * security level forbids it. No handshake at that version can complete, so the scan must say
 * "refused" (with a note), not "could not test" — and say "accepted" once @SECLEVEL=0 allows it.
 */
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { rawScan } from '../../src/probe/raw/index.js';
import { useNodeTlsServers } from '../support/servers.js';

describe('TLS 1.0 enabled but forbidden by the OpenSSL 3 security level', () => {
  const servers = useNodeTlsServers();

  async function scan(options: tls.TlsOptions) {
    const s = await servers.serve(options);
    return rawScan(
      { host: '127.0.0.1', port: s.port, timeoutMs: 3000 },
      { versions: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] },
    );
  }

  it('is refused, with a note naming the security level', async () => {
    const r = await scan({ minVersion: 'TLSv1' });
    expect(r.protocols['TLSv1.2']).toBe(true);
    expect(r.protocols['TLSv1.0']).toBe(false);
    expect(r.protocols['TLSv1.1']).toBe(false);
    expect(r.notes.join('\n')).toMatch(
      /TLSv1\.0: the server answered with internal_error, as OpenSSL 3 does for a version its security level forbids/,
    );
  });

  it('is accepted once the server lowers the level with @SECLEVEL=0', async () => {
    const r = await scan({ minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    expect(r.protocols['TLSv1.0']).toBe(true);
    expect(r.protocols['TLSv1.1']).toBe(true);
  });
});
