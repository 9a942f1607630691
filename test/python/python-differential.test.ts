/**
 * Differential test: the Python reader's model of every fixture context against the contexts the
 * real interpreter builds from the same code (test/support/python_ssl_harness.py runs each
 * fixture's context-building functions and top-level statements with only `ssl` in scope, so no
 * network call or other library ever runs).
 *
 * For each context the interpreter built, the reader (targets: the interpreter's Python and
 * OpenSSL versions) must have exactly one `ssl` context at the same place, and:
 * - `verify_mode` ↔ `peerVerification` (client) or `clientAuth` (server);
 * - `check_hostname` ↔ `hostnameVerification` (left out by the reader only where it is moot:
 *   off by default with the chain unverified);
 * - `minimum_version`, `maximum_version`, `options` and a pinned protocol ↔ `protocols`;
 * - `get_ciphers()` ↔ the reader's cipher setting expanded by our OpenSSL engine, in order.
 * `OPENSSL_CONF=/dev/null` keeps the system's OpenSSL policy out of the interpreter.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Targets, parseTargetArgs } from '../../src/config/targets.js';
import { resolveCipherSpec } from '../../src/crypto/cipher-spec.js';
import { extractPythonContexts, parsePython } from '../../src/languages/python/index.js';
import type { TlsContext } from '../../src/model/context.js';
import { singleValue } from '../../src/model/setting.js';
import { haveProgram, whichProgram } from '../support/system.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HARNESS = path.join(ROOT, 'test/support/python_ssl_harness.py');

interface InterpreterContext {
  where: 'function' | 'module';
  name: string;
  line: number;
  endLine: number;
  protocol: string;
  verify_mode: 'CERT_NONE' | 'CERT_OPTIONAL' | 'CERT_REQUIRED';
  check_hostname: boolean;
  minimum_version: string;
  maximum_version: string;
  options: number;
  protocols: string[];
  ciphers: string[];
}

interface HarnessFile {
  file: string;
  python: string;
  openssl: string;
  contexts: InterpreterContext[];
  skipped: Array<{ line: number; reason: string }>;
}

function pythonFixtures(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...pythonFixtures(full));
    else if (
      /^python.*\.py$/.test(name) ||
      (full.includes(`${path.sep}projects${path.sep}python`) && name.endsWith('.py'))
    )
      out.push(full);
  }
  return out;
}

const SSL_APIS = new Set([
  'ssl.SSLContext',
  'ssl.create_default_context',
  'ssl._create_unverified_context',
]);

async function readerContexts(file: string, targets: Targets): Promise<TlsContext[]> {
  const parsed = await parsePython(file, readFileSync(file, 'utf8'));
  return extractPythonContexts(parsed.root, parsed.source, { targets }).contexts.filter((c) =>
    SSL_APIS.has(c.api),
  );
}

function cipherNames(context: TlsContext, targets: Targets): string[] | undefined {
  const spec = singleValue(context.ciphers);
  if (!spec) return undefined;
  const resolved = resolveCipherSpec(spec, targets, { platform: 'python' });
  if (resolved.refused) return [];
  return [...resolved.tls13, ...resolved.suites].map((r) => r.suite.openssl ?? r.suite.iana ?? '?');
}

/** Every difference between the interpreter's context and the reader's, as readable lines. */
function compare(real: InterpreterContext, model: TlsContext, targets: Targets): string[] {
  const problems: string[] = [];
  const say = (what: string, interpreter: unknown, reader: unknown) =>
    problems.push(
      `${real.name} (line ${real.line}): ${what}: interpreter ${JSON.stringify(interpreter)}, reader ${JSON.stringify(reader)}`,
    );
  if (model.role === 'server') {
    const expected = { CERT_NONE: 'none', CERT_OPTIONAL: 'optional', CERT_REQUIRED: 'required' }[
      real.verify_mode
    ];
    const got = singleValue(model.clientAuth);
    if (got !== expected) say('verify_mode as clientAuth', real.verify_mode, got);
  } else if (model.peerVerification?.origin === 'unknown') {
    // The reader declines only for an 'either' context left at CERT_NONE.
    if (real.verify_mode !== 'CERT_NONE')
      say('verify_mode (reader: unknown)', real.verify_mode, model.peerVerification.reason);
  } else {
    const got = singleValue(model.peerVerification);
    if (got !== (real.verify_mode !== 'CERT_NONE'))
      say('verify_mode as peerVerification', real.verify_mode, got);
    if (model.hostnameVerification === undefined) {
      if (real.check_hostname)
        say('check_hostname (reader: left out)', real.check_hostname, undefined);
    } else if (singleValue(model.hostnameVerification) !== real.check_hostname)
      say('check_hostname', real.check_hostname, singleValue(model.hostnameVerification));
  }
  const protocols = singleValue(model.protocols);
  if (JSON.stringify(protocols) !== JSON.stringify(real.protocols)) {
    say(
      `protocols (minimum_version ${real.minimum_version}, maximum_version ${real.maximum_version}, options ${real.options})`,
      real.protocols,
      protocols,
    );
  }
  const ciphers = cipherNames(model, targets);
  if (JSON.stringify(ciphers) !== JSON.stringify(real.ciphers))
    say('get_ciphers()', real.ciphers, ciphers);
  return problems;
}

const files = pythonFixtures(path.join(ROOT, 'fixtures'));
const run = haveProgram('python3');

describe.skipIf(!run)('python reader vs the real interpreter (python3 + ssl)', () => {
  let results: HarnessFile[] = [];
  const load = (): HarnessFile[] => {
    if (results.length === 0) {
      const out = execFileSync(whichProgram('python3')!, [HARNESS, ...files], {
        encoding: 'utf8',
        env: { ...process.env, OPENSSL_CONF: '/dev/null', PYTHONWARNINGS: 'ignore' },
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      results = JSON.parse(out) as HarnessFile[];
    }
    return results;
  };

  it('finds the Python fixtures and the interpreter builds their contexts', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    const total = load().reduce((n, f) => n + f.contexts.length, 0);
    expect(total).toBeGreaterThanOrEqual(35);
  });

  it('agrees with the interpreter on every context it builds', async () => {
    const problems: string[] = [];
    let compared = 0;
    for (const result of load()) {
      const targets = new Targets(
        parseTargetArgs([`python=${result.python}`, `openssl=${result.openssl}`]),
      );
      const contexts = await readerContexts(result.file, targets);
      const rel = path.relative(ROOT, result.file);
      for (const real of result.contexts) {
        const lo = real.line;
        const hi = real.endLine;
        const candidates = contexts.filter((c) => c.at.line >= lo && c.at.line <= hi);
        if (candidates.length !== 1) {
          problems.push(
            `${rel}: ${real.name} (lines ${lo}-${hi}): the reader has ${candidates.length} ssl contexts there, the interpreter built one`,
          );
          continue;
        }
        compared++;
        problems.push(...compare(real, candidates[0]!, targets).map((p) => `${rel}: ${p}`));
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(35);
  });
});
