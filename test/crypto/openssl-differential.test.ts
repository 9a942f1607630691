/**
 * Differential test: our OpenSSL cipher-string engine (3.x family) against what
 * `openssl ciphers -V '<string>'` prints, order included, for ~750 strings.
 *
 * What exactly is compared:
 * - `OPENSSL_CONF=/dev/null` so no system policy (Debian's CipherString, crypto-policies) applies;
 * - no `-s`: `openssl ciphers` without `-s` prints SSL_get_ciphers(), the list as configured,
 *   NOT filtered by the security level. Debian builds with SECLEVEL 2 by default; that filter only
 *   applies at handshake time (and with `-s`), so it does not enter this comparison. PSK and SRP
 *   suites are included for the same reason;
 * - the output is the default TLS 1.3 suites first, then the TLS ≤1.2 list: we compare the code
 *   and name of every line, in order;
 * - when openssl fails ("Error in cipher list"), the engine must fail too, with the same reason
 *   ("no cipher match" or "invalid command").
 *
 * openssl's answers are recorded in `data/openssl-ciphers.golden.json` (one `openssl` run per
 * string costs ~25 ms of CPU; all of them took minutes on a busy 2-core machine). Three modes:
 * - `npm test`: the engine against the recorded answers for every string, and the installed
 *   openssl against the recording for a sample (every 15th string), so a recording that no longer matches the machine's openssl fails here too;
 * - `npm run test:openssl` (CI runs it after `npm test`): every string through the installed
 *   openssl, compared with the recording and with the engine;
 * - `npm run test:openssl:update`: re-records every answer (after the corpus or openssl changed),
 *   then compares the engine.
 * The live runs go a few at a time and have no deadline of their own: a slow machine makes them
 * slower, never wrong.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandOpenSslCipherString } from '../../src/crypto/openssl/engine.js';
import { familyDefinition } from '../../src/crypto/openssl/families.js';
import { haveProgram, whichProgram } from '../support/system.js';
import { generatedStrings, REAL_WORLD_STRINGS } from './cipher-string-corpus.js';

const GOLDEN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'data',
  'openssl-ciphers.golden.json',
);
const MODE =
  process.env.TLS_LINT_OPENSSL_LIVE === 'write'
    ? 'write'
    : process.env.TLS_LINT_OPENSSL_LIVE === 'all'
      ? 'all'
      : 'sample';

type ErrorKind = 'no-cipher-match' | 'invalid-command' | 'other';

/** One answer: the suites as `C02C` codes in order, or why the string was refused. */
type Answer = { codes: string[]; error?: undefined } | { codes?: undefined; error: ErrorKind };

interface Golden {
  /** `openssl version` of the recording. */
  openssl: string;
  /** Every code seen, with the name openssl printed for it. */
  names: Record<string, string>;
  /** The default TLS 1.3 suites openssl prints first for every accepted string. */
  tls13: string[];
  /** Per string: the TLS ≤1.2 codes in order, space-separated, or `error:<kind>`. */
  answers: Record<string, string>;
}

/** `0xC0,0x2C - ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 …` → [`C02C`, `ECDHE-ECDSA-AES256-GCM-SHA384`]. */
function parseLine(line: string): [string, string] {
  const [code, , name] = line.trim().split(/\s+/);
  return [code!.replace(/0x|,/g, '').toUpperCase(), name!];
}

function codeOf(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

interface LiveAnswer {
  answer: Answer;
  names: Array<[string, string]>;
}

function runOpenSsl(cipherString: string): Promise<LiveAnswer> {
  return new Promise((resolve) => {
    execFile(
      whichProgram('openssl')!,
      ['ciphers', '-V', cipherString],
      { env: { ...process.env, OPENSSL_CONF: '/dev/null' }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          const kind = /no cipher match/.test(stderr)
            ? 'no-cipher-match'
            : /invalid command/.test(stderr)
              ? 'invalid-command'
              : 'other';
          resolve({ answer: { error: kind }, names: [] });
          return;
        }
        const names = stdout
          .split('\n')
          .filter((l) => l.trim())
          .map(parseLine);
        resolve({ answer: { codes: names.map(([code]) => code) }, names });
      },
    );
  });
}

/** `fn` over every item, at most `limit` at a time; results in the order of `items`. */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function runEngine(cipherString: string): { answer: Answer; names: Array<[string, string]> } {
  const r = expandOpenSslCipherString(cipherString, '3.x');
  if (r.error) return { answer: { error: r.error.kind }, names: [] };
  const names = [...familyDefinition('3.x').tls13Default, ...r.suites].map(
    (s): [string, string] => [codeOf(s.code), s.openssl ?? '?'],
  );
  return { answer: { codes: names.map(([code]) => code) }, names };
}

function fromGolden(golden: Golden, cipherString: string): Answer | undefined {
  const recorded = golden.answers[cipherString];
  if (recorded === undefined) return undefined;
  if (recorded.startsWith('error:')) return { error: recorded.slice('error:'.length) as ErrorKind };
  return { codes: [...golden.tls13, ...recorded.split(' ').filter(Boolean)] };
}

/** Why `got` differs from `want`, or undefined when they agree. */
function difference(
  want: Answer,
  got: Answer,
  wantName: string,
  gotName: string,
): string | undefined {
  if (want.error || got.error)
    return want.error === got.error
      ? undefined
      : `${wantName} ${want.error ?? 'ok'}, ${gotName} ${got.error ?? 'ok'}`;
  if (want.codes.join(' ') === got.codes.join(' ')) return undefined;
  const i = want.codes.findIndex((c, n) => got.codes[n] !== c);
  return `first difference at #${i}: ${wantName} ${want.codes[i]}, ${gotName} ${got.codes[i]} (${want.codes.length} vs ${got.codes.length} suites)`;
}

function record(strings: readonly string[], live: readonly LiveAnswer[], version: string): Golden {
  const names: Record<string, string> = {};
  for (const { names: pairs } of live) for (const [code, name] of pairs) names[code] = name;
  const tls13 = familyDefinition('3.x').tls13Default.map((s) => codeOf(s.code));
  const answers: Record<string, string> = {};
  strings.forEach((s, i) => {
    const { answer } = live[i]!;
    if (answer.error) {
      answers[s] = `error:${answer.error}`;
      return;
    }
    // Every accepted string starts with the default TLS 1.3 suites; the recording keeps them once.
    expect(
      answer.codes.slice(0, tls13.length),
      `openssl's TLS 1.3 suites for ${JSON.stringify(s)}`,
    ).toEqual(tls13);
    answers[s] = answer.codes.slice(tls13.length).join(' ');
  });
  return {
    openssl: version,
    names: Object.fromEntries(Object.entries(names).sort()),
    tls13,
    answers,
  };
}

const strings = [...new Set([...REAL_WORLD_STRINGS, ...generatedStrings()])];
const sample = strings.filter((_, i) => i % 15 === 0);

describe('OpenSSL cipher-string engine agrees with `openssl ciphers -V`', () => {
  it(`covers at least 300 strings (has ${strings.length})`, () => {
    expect(strings.length).toBeGreaterThanOrEqual(300);
  });

  if (MODE === 'write') {
    it.skipIf(!haveProgram('openssl'))(
      're-records what the installed openssl answers for every string',
      async () => {
        const version = execFileSync(whichProgram('openssl')!, ['version'], {
          encoding: 'utf8',
        }).trim();
        expect(version).toMatch(/^OpenSSL 3\./);
        const live = await mapBounded(strings, availableParallelism() + 1, runOpenSsl);
        writeFileSync(GOLDEN, JSON.stringify(record(strings, live, version), null, 1) + '\n');
      },
      600_000,
    );
  }

  it('expands every string exactly as the recorded openssl answers (codes, order, names, errors)', () => {
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
    const missing = strings.filter((s) => golden.answers[s] === undefined);
    expect(
      missing,
      'strings without a recorded answer: the corpus changed, run `npm run test:openssl:update`',
    ).toEqual([]);
    const mismatches: string[] = [];
    for (const s of strings) {
      const { answer, names } = runEngine(s);
      const why = difference(fromGolden(golden, s)!, answer, 'openssl', 'engine');
      if (why) mismatches.push(`${JSON.stringify(s)}: ${why}`);
      for (const [code, name] of names) {
        if (golden.names[code] !== undefined && golden.names[code] !== name)
          mismatches.push(
            `${JSON.stringify(s)}: ${code} is ${golden.names[code]} in openssl, ${name} in the engine`,
          );
      }
    }
    expect([...new Set(mismatches)]).toEqual([]);
  });

  const live = MODE === 'sample' ? sample : strings;
  it.skipIf(!haveProgram('openssl'))(
    `the installed openssl still answers as recorded (${MODE === 'sample' ? `a sample of ${live.length}; npm run test:openssl runs all` : `all ${live.length} strings`})`,
    async () => {
      const version = execFileSync(whichProgram('openssl')!, ['version'], { encoding: 'utf8' });
      expect(version).toMatch(/^OpenSSL 3\./);
      const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
      const answers = await mapBounded(live, availableParallelism() + 1, runOpenSsl);
      const mismatches: string[] = [];
      live.forEach((s, i) => {
        const recorded = fromGolden(golden, s);
        const why = recorded
          ? difference(recorded, answers[i]!.answer, 'recorded', 'installed openssl')
          : 'no recorded answer';
        if (why) mismatches.push(`${JSON.stringify(s)}: ${why}`);
        if (MODE !== 'sample') {
          const engine = difference(
            answers[i]!.answer,
            runEngine(s).answer,
            'installed openssl',
            'engine',
          );
          if (engine) mismatches.push(`${JSON.stringify(s)}: ${engine}`);
        }
      });
      expect(
        mismatches,
        `recorded with ${golden.openssl}, installed ${version.trim()}; if openssl changed on purpose, run \`npm run test:openssl:update\``,
      ).toEqual([]);
    },
    600_000,
  );
});
