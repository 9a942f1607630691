import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandOpenSslCipherString } from '../../src/crypto/openssl/engine.js';
import { opensslFamilyFor } from '../../src/crypto/openssl/families.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const names = (s: string, f: '1.0.2' | '1.1.1' | '3.x' = '3.x') =>
  expandOpenSslCipherString(s, f).suites.map((x) => x.openssl);

describe('OpenSSL engine, 3.x family, against the recorded alias membership of OpenSSL 3.0', () => {
  // scripts/data/alias-membership.tsv: `openssl ciphers -ciphersuites '' "A:@SECLEVEL=0"` per alias
  const rows = readFileSync(path.join(ROOT, 'scripts/data/alias-membership.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean);
  for (const row of rows) {
    const [alias, count, list] = row.split('\t') as [string, string, string];
    it(`${alias} selects ${count} suites in OpenSSL's order`, () => {
      const r = expandOpenSslCipherString(`${alias}:@SECLEVEL=0`, '3.x');
      if (Number(count) === 0) {
        expect(r.error?.kind).toBe('no-cipher-match');
      } else {
        const want = list.split(':');
        // the recorded list prints 3.0's names; 1.1.0+ print DHE- for the EDH- aliases
        expect(r.suites.map((s) => (s.opensslBuilds?.v3 ? s.openssl : s.openssl))).toEqual(want);
      }
    });
  }
});

describe('OpenSSL engine families', () => {
  it('maps versions to families', () => {
    expect(opensslFamilyFor('1.0.2k')).toBe('1.0.2');
    expect(opensslFamilyFor('1.0.1')).toBe('1.0.2');
    expect(opensslFamilyFor('1.1.1w')).toBe('1.1.1');
    expect(opensslFamilyFor('3.0')).toBe('3.x');
    expect(opensslFamilyFor('3')).toBe('3.x');
  });

  it('1.0.2: HIGH still holds 3DES and CAMELLIA; 3.x: no 3DES at all', () => {
    const old = expandOpenSslCipherString('HIGH:!aNULL:!MD5', '1.0.2').suites;
    expect(old.some((s) => s.flags.includes('3DES'))).toBe(true);
    expect(old.some((s) => s.flags.includes('CAMELLIA'))).toBe(true);
    expect(old.some((s) => s.flags.includes('RC4'))).toBe(false);
    const now = expandOpenSslCipherString('HIGH:!aNULL:!MD5', '3.x').suites;
    expect(now.some((s) => s.flags.includes('3DES'))).toBe(false);
    expect(now.some((s) => s.flags.includes('CAMELLIA'))).toBe(true);
    expect(names('MEDIUM', '1.0.2')).toEqual(
      expect.arrayContaining(['RC4-SHA', 'SEED-SHA', 'IDEA-CBC-SHA']),
    );
  });

  it('1.0.2 DEFAULT starts the way OpenSSL 1.0.2 prints it', () => {
    expect(names('DEFAULT', '1.0.2').slice(0, 10)).toEqual([
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-SHA384',
      'ECDHE-ECDSA-AES256-SHA384',
      'ECDHE-RSA-AES256-SHA',
      'ECDHE-ECDSA-AES256-SHA',
      'SRP-DSS-AES-256-CBC-SHA',
      'SRP-RSA-AES-256-CBC-SHA',
      'SRP-AES-256-CBC-SHA',
      'DH-DSS-AES256-GCM-SHA384',
    ]);
    expect(names('DEFAULT', '1.0.2')).toContain('RC4-SHA');
    expect(names('DEFAULT', '1.0.2')).not.toContain('ADH-AES128-SHA');
    // 1.0.2 names: EDH-, with the DHE- alias selecting the same suite
    expect(
      expandOpenSslCipherString('DHE-RSA-DES-CBC3-SHA', '1.0.2').suites.map((s) => s.code),
    ).toEqual([0x16]);
  });

  it('1.1.1 has no CBC alias (3.0 added it)', () => {
    expect(expandOpenSslCipherString('CBC', '1.1.1').error?.kind).toBe('no-cipher-match');
    expect(expandOpenSslCipherString('CBC', '3.x').suites.length).toBe(76);
  });

  it('1.1.1 still offers SEED and IDEA (MEDIUM, not in DEFAULT); 3.x moved them to the legacy provider', () => {
    expect(names('MEDIUM', '1.1.1')).toEqual([
      'DHE-RSA-SEED-SHA',
      'DHE-DSS-SEED-SHA',
      'ADH-SEED-SHA',
      'SEED-SHA',
      'IDEA-CBC-SHA',
    ]);
    expect(names('DEFAULT', '1.1.1').filter((n) => /SEED|IDEA/.test(n!))).toEqual([]);
    expect(expandOpenSslCipherString('MEDIUM', '3.x').error?.kind).toBe('no-cipher-match');
    expect(expandOpenSslCipherString('SEED', '3.x').error?.kind).toBe('no-cipher-match');
  });
});

describe('OpenSSL engine items', () => {
  it('records which item brought each suite in', () => {
    const r = expandOpenSslCipherString('ECDHE-RSA-AES128-GCM-SHA256:ALL:!MD5', '3.x');
    expect(r.broughtBy.get(r.suites[0]!)?.text).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    const adh = r.suites.find((s) => s.openssl === 'ADH-AES128-SHA')!;
    expect(r.broughtBy.get(adh)?.text).toBe('ALL');
    expect(r.items.map((i) => [i.text, i.kind, i.op])).toEqual([
      ['ECDHE-RSA-AES128-GCM-SHA256', 'suite', 'add'],
      ['ALL', 'alias', 'add'],
      ['!MD5', 'alias', 'kill'],
    ]);
  });

  it('reports unknown names, case slips, legacy aliases and IANA names', () => {
    const r = expandOpenSslCipherString(
      'high:BOGUS:!EXPORT:TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256',
      '3.x',
    );
    const kinds = Object.fromEntries(r.items.map((i) => [i.text, i.kind]));
    expect(kinds).toMatchObject({
      high: 'unknown',
      BOGUS: 'unknown',
      '!EXPORT': 'legacy',
      TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'unknown',
    });
    expect(r.items.find((i) => i.text === 'high')?.caseSuggestion).toBe('HIGH');
    expect(r.items.find((i) => i.text.startsWith('TLS_'))?.readAs).toBe('TLS');
    expect(r.suites.map((s) => s.openssl)).toEqual(['ECDHE-RSA-AES128-GCM-SHA256']);
  });

  it('fails like OpenSSL: nothing left, or an invalid command', () => {
    expect(expandOpenSslCipherString('BOGUS', '3.x').error?.kind).toBe('no-cipher-match');
    expect(expandOpenSslCipherString('HIGH:!', '3.x').error?.kind).toBe('invalid-command');
    expect(expandOpenSslCipherString('@SECLEVEL=7', '3.x').error?.kind).toBe('invalid-command');
    expect(expandOpenSslCipherString('HIGH:@SECLEVEL=0', '3.x').secLevel).toBe(0);
    // @SECLEVEL arrived in 1.1.0
    expect(expandOpenSslCipherString('HIGH:@SECLEVEL=0', '1.0.2').error?.kind).toBe(
      'invalid-command',
    );
  });
});
