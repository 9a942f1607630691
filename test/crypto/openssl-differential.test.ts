/**
 * Differential test: our OpenSSL cipher-string engine (3.x family) against the machine's
 * `openssl ciphers -V '<string>'`, order included.
 *
 * What exactly is compared:
 * - `OPENSSL_CONF=/dev/null` so no system policy (Debian's CipherString, crypto-policies) applies;
 * - no `-s`: `openssl ciphers` without `-s` prints SSL_get_ciphers(), the list as configured,
 *   NOT filtered by the security level. Debian builds with SECLEVEL 2 by default; that filter only
 *   applies at handshake time (and with `-s`), so it does not enter this comparison. PSK and SRP
 *   suites are included for the same reason;
 * - the output is the default TLS 1.3 suites first, then the TLS ≤1.2 list: we compare the hex
 *   code and name of every line, in order;
 * - when openssl fails ("Error in cipher list"), the engine must fail too, with the same reason
 *   ("no cipher match" or "invalid command").
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatCode } from '../../src/crypto/cipher-suites.js';
import { expandOpenSslCipherString } from '../../src/crypto/openssl/engine.js';
import { familyDefinition } from '../../src/crypto/openssl/families.js';
import { haveProgram, whichProgram } from '../support/system.js';
import { generatedStrings, REAL_WORLD_STRINGS } from './cipher-string-corpus.js';

interface OpenSslAnswer {
  lines: string[];
  error?: 'no-cipher-match' | 'invalid-command' | 'other';
}

function runOpenSsl(cipherString: string): OpenSslAnswer {
  try {
    const out = execFileSync(whichProgram('openssl')!, ['ciphers', '-V', cipherString], {
      env: { ...process.env, OPENSSL_CONF: '/dev/null' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 10_000,
    });
    return { lines: out.split('\n').filter((l) => l.trim()).map((l) => normalizeLine(l)) };
  } catch (e) {
    const stderr = String((e as { stderr?: string }).stderr ?? '');
    const error = /no cipher match/.test(stderr) ? 'no-cipher-match' : /invalid command/.test(stderr) ? 'invalid-command' : 'other';
    return { lines: [], error };
  }
}

/** `0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 …` → `0xC0,0x2C ECDHE-ECDSA-AES256-GCM-SHA384`. */
function normalizeLine(line: string): string {
  const [code, , name] = line.trim().split(/\s+/);
  return `${code} ${name}`;
}

function runEngine(cipherString: string): OpenSslAnswer {
  const r = expandOpenSslCipherString(cipherString, '3.x');
  if (r.error) return { lines: [], error: r.error.kind };
  const tls13 = familyDefinition('3.x').tls13Default;
  return { lines: [...tls13, ...r.suites].map((s) => `${formatCode(s.code)} ${s.openssl}`) };
}

const strings = [...new Set([...REAL_WORLD_STRINGS, ...generatedStrings()])];

describe.skipIf(!haveProgram('openssl'))('OpenSSL cipher-string engine agrees with `openssl ciphers -V`', () => {
  it(`covers at least 300 strings (has ${strings.length})`, () => {
    expect(strings.length).toBeGreaterThanOrEqual(300);
  });

  it('expands every string exactly like the installed openssl (3.x family)', () => {
    const version = execFileSync(whichProgram('openssl')!, ['version'], { encoding: 'utf8' });
    expect(version).toMatch(/^OpenSSL 3\./);
    const mismatches: string[] = [];
    for (const s of strings) {
      const want = runOpenSsl(s);
      const got = runEngine(s);
      if (want.error || got.error) {
        if (want.error !== got.error) mismatches.push(`${JSON.stringify(s)}: openssl ${want.error ?? 'ok'}, engine ${got.error ?? 'ok'}`);
        continue;
      }
      if (want.lines.join('\n') !== got.lines.join('\n')) {
        const i = want.lines.findIndex((l, n) => got.lines[n] !== l);
        mismatches.push(`${JSON.stringify(s)}: first difference at #${i}: openssl "${want.lines[i]}", engine "${got.lines[i]}" (${want.lines.length} vs ${got.lines.length} lines)`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
