/**
 * Property tests: random and mutated input never makes a reader throw anything but its own typed
 * error, and always ends (a hang fails on the test's timeout). Runs are bounded so the suite
 * stays fast on a busy 2-core machine; a failure prints the seed and the shrunk input.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Targets } from '../../src/config/targets.js';
import { resolveCipherSpec } from '../../src/crypto/cipher-spec.js';
import { DerError } from '../../src/crypto/der.js';
import { readEnvFile } from '../../src/languages/node/env-files.js';
import { parseNginx } from '../../src/languages/nginx/parser.js';
import { NginxSyntaxError, Tokenizer } from '../../src/languages/nginx/tokenizer.js';
import type { CipherSpec } from '../../src/model/context.js';
import { WireError } from '../../src/probe/wire/bytes.js';
import { describeDistinguishedName, formatDistinguishedName } from '../../src/probe/wire/dn.js';
import {
  HandshakeAssembler,
  RecordBuffer,
  parseAlert,
  takeSsl2Record,
} from '../../src/probe/wire/records.js';
import {
  parseCertificate12,
  parseCertificate13,
  parseCertificateRequest12,
  parseCertificateRequest13,
  parseEncryptedExtensions,
  parseServerHello,
  parseServerKeyExchange,
  parseSsl2ServerHello,
} from '../../src/probe/wire/server-messages.js';

const RUNS = { numRuns: 150 };

/** Text made of the pieces a format is made of, so random input reaches deep into the parser. */
function textOf(pieces: readonly string[], maxLength = 60): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...pieces) },
        { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
      ),
      { maxLength },
    )
    .map((a) => a.join(''));
}

/** A seed text with random edits: characters inserted, deleted and replaced. */
function mutated(seed: string): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.nat({ max: seed.length }),
    fc.nat({ max: 3 }),
    fc.string({ maxLength: 3, unit: 'binary' }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let s = seed;
    for (const [at, del, ins] of edits) {
      const i = Math.min(at, s.length);
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });
}

const NGINX_PIECES = [
  'server',
  'http',
  'events',
  'location',
  ' ',
  '\n',
  '\t',
  '{',
  '}',
  ';',
  '"',
  "'",
  '\\',
  '#',
  '$',
  '${x}',
  'include',
  'ssl_protocols',
  'TLSv1',
  'listen 443 ssl',
  'content_by_lua_block',
  '--[[',
  ']]',
  '[==[',
  '(',
  ')',
  'a',
  '*',
];
const NGINX_SEED =
  'events {}\nhttp {\n  ssl_protocols TLSv1 TLSv1.2;\n  server {\n    listen 443 ssl;\n    ssl_ciphers "HIGH:!aNULL";\n    location / { proxy_pass https://x; content_by_lua_block { ngx.say("}") } }\n  }\n}\n';

describe('nginx tokenizer and parser', () => {
  test('any text: the parser returns (a syntax error at most), the tokenizer throws only NginxSyntaxError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          textOf(NGINX_PIECES),
          mutated(NGINX_SEED),
          fc.string({ unit: 'binary', maxLength: 60 }),
        ),
        (text) => {
          const r = parseNginx(text, 'x.conf');
          if (r.error && (r.error.line < 1 || r.error.column < 1))
            throw new Error(`error outside the text: ${JSON.stringify(r.error)}`);
          const t = new Tokenizer(text, 'x.conf');
          try {
            for (let i = 0; i <= text.length + 1; i++) if (t.next().kind === 'eof') return;
            throw new Error('the tokenizer did not reach the end of the text');
          } catch (e) {
            if (!(e instanceof NginxSyntaxError)) throw e;
          }
        },
      ),
      RUNS,
    );
  });
});

const CIPHER_PIECES = [
  'HIGH',
  'MEDIUM',
  'LOW',
  'ALL',
  'DEFAULT',
  'COMPLEMENTOFDEFAULT',
  'COMPLEMENTOFALL',
  'ECDHE',
  'RSA',
  'AESGCM',
  'AES',
  'CHACHA20',
  '3DES',
  'RC4',
  'aNULL',
  'eNULL',
  'MD5',
  'SHA1',
  'kRSA',
  '+',
  '-',
  '!',
  ':',
  ',',
  ' ',
  '@STRENGTH',
  '@SECLEVEL=',
  '0',
  '1',
  '5',
  '9',
  '[',
  ']',
  '|',
  'TLS_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'PROFILE=SYSTEM',
  'SUITEB128',
];
const SYNTAXES: CipherSpec['syntax'][] = [
  'openssl',
  'node',
  'openssl-tls13',
  'go',
  'boringssl',
  'suites',
];

describe('cipher-string engine', () => {
  test('any string in any syntax, for any OpenSSL family: a resolution with problems, never a throw', () => {
    const families = [
      new Targets(new Map()),
      new Targets(new Map([['openssl', '1.0.2']])),
      new Targets(new Map([['openssl', '1.1.1']])),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...SYNTAXES),
        fc.constantFrom(...families),
        fc.oneof(textOf(CIPHER_PIECES, 40), mutated('ECDHE+AESGCM:!aNULL:@SECLEVEL=2:HIGH:-3DES')),
        (syntax, targets, text) => {
          const spec: CipherSpec =
            syntax === 'go' || syntax === 'suites'
              ? ({ syntax, text, list: text.split(/[:,]/) } as CipherSpec)
              : { syntax, text };
          const r = resolveCipherSpec(spec, targets);
          expect(Array.isArray(r.problems)).toBe(true);
        },
      ),
      RUNS,
    );
  });
});

describe('.env, Dockerfile, compose and package.json readers', () => {
  const ENV_PIECES = [
    'NODE_TLS_REJECT_UNAUTHORIZED',
    '=',
    '0',
    '1',
    '"',
    "'",
    '\n',
    '#',
    'export ',
    'ENV ',
    'ARG ',
    '\\\n',
    ' ',
    '${X}',
    '- ',
    'environment:',
    '{',
    '}',
    '[',
    ']',
    ':',
    ',',
    '"scripts"',
    '"start"',
    'node a.js',
  ];
  const files = [
    '/p/.env',
    '/p/.env.production',
    '/p/Dockerfile',
    '/p/docker-compose.yml',
    '/p/.github/workflows/ci.yml',
    '/p/run.sh',
    '/p/package.json',
  ];
  test('any text: contexts and located errors, never a throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...files),
        fc.oneof(
          textOf(ENV_PIECES),
          mutated('{"scripts":{"dev":"NODE_TLS_REJECT_UNAUTHORIZED=0 node a.js"}}'),
          mutated('FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=0 \\\n    X=1\n'),
        ),
        (file, text) => {
          const r = readEnvFile(file, text, 1);
          for (const e of r.errors) expect(e.kind).toBe('syntax');
        },
      ),
      RUNS,
    );
  });
});

/** A reader of server bytes may only refuse them with its own typed error. */
function wireOnly(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof WireError) && !(e instanceof DerError)) throw e;
  }
}

describe('probe: TLS record and handshake parsers', () => {
  const bytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
  /** Bytes that start like a record or message, so that parsing gets past the first check. */
  const recordish = fc
    .tuple(
      fc.constantFrom(20, 21, 22, 23),
      fc.constantFrom(0, 1, 2, 3, 4),
      fc.uint8Array({ maxLength: 200 }),
    )
    .map(([t, v, rest]) => Buffer.from([t, 3, v, 0, rest.length & 0xff, ...rest]));

  test('records and handshake reassembly from random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(bytes, recordish), { maxLength: 6 }), (chunks) => {
        const records = new RecordBuffer();
        const assembler = new HandshakeAssembler(4096);
        wireOnly(() => {
          for (const chunk of chunks) {
            records.push(chunk);
            for (let r = records.next(); r; r = records.next()) {
              if (r.type === 22) assembler.push(r.fragment);
              if (r.type === 21) parseAlert(r.fragment);
            }
          }
        });
        wireOnly(() => takeSsl2Record(records));
      }),
      RUNS,
    );
  });

  test('every server message parser on random and truncated bodies', () => {
    const parsers: Array<(b: Buffer) => unknown> = [
      parseServerHello,
      parseCertificate12,
      parseCertificate13,
      (b) => parseServerKeyExchange(b, 'ecdhe'),
      (b) => parseServerKeyExchange(b, 'dhe'),
      (b) => parseServerKeyExchange(b),
      (b) => parseCertificateRequest12(b, 0x0303),
      (b) => parseCertificateRequest12(b, 0x0301),
      parseCertificateRequest13,
      parseEncryptedExtensions,
      parseSsl2ServerHello,
      formatDistinguishedName,
      describeDistinguishedName,
    ];
    const lengthPrefixed = fc
      .array(fc.uint8Array({ maxLength: 40 }), { maxLength: 5 })
      .map((parts) =>
        Buffer.concat(
          parts.flatMap((p) => [Buffer.from([0, p.length >> 8, p.length & 0xff]), Buffer.from(p)]),
        ),
      );
    fc.assert(
      fc.property(
        fc.nat({ max: parsers.length - 1 }),
        fc.oneof(
          bytes,
          lengthPrefixed,
          bytes.map((b) => Buffer.concat([Buffer.from([3, 3]), b])),
        ),
        (i, body) => {
          wireOnly(() => parsers[i]!(body));
        },
      ),
      { numRuns: 400 },
    );
  });
});
