/**
 * Each ESLint rule of the plugin, valid and invalid cases, through @typescript-eslint/rule-tester
 * (TypeScript parser) — messages, lines and suggestions as ESLint users see them.
 */
import { RuleTester } from '@typescript-eslint/rule-tester';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import plugin from '../../eslint-plugin/src/index.js';
import { mozillaProfile } from '../../src/crypto/mozilla.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const tester = new RuleTester();
type TesterRule = Parameters<typeof tester.run>[1];
// ESLint's and typescript-eslint's RuleModule types differ only in how strictly they type context.
const rule = (id: string) => plugin.rules[id] as unknown as TesterRule;
const certs = path.resolve('fixtures/projects/nginx-certificates/certs');
const cert = (name: string) => JSON.stringify(path.join(certs, name));

tester.run('insecure-protocol-version', rule('insecure-protocol-version'), {
  valid: [
    "import tls from 'node:tls'; tls.createServer({ minVersion: 'TLSv1.2' });",
    // Not a TLS API: the same key on a plain object handed nowhere.
    "const o = { minVersion: 'TLSv1' }; console.log(o.minVersion);",
    // A suppression comment of tls-lint's own works in the editor as on the command line.
    "import tls from 'node:tls';\n// tls-lint-disable-next-line insecure-protocol-version -- legacy device\ntls.connect({ minVersion: 'TLSv1' });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ minVersion: 'TLSv1' });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          column: 20,
          suggestions: [
            {
              messageId: 'raiseMinVersion',
              output: "import tls from 'node:tls';\ntls.createServer({ minVersion: 'TLSv1.2' });",
            },
          ],
        },
      ],
    },
    {
      code: 'const https = require(\'https\');\nconst FLOOR = "TLSv1.1";\nnew https.Agent({ minVersion: FLOOR });',
      errors: [
        {
          messageId: 'finding',
          line: 3,
          suggestions: [
            {
              messageId: 'raiseMinVersion',
              output:
                "const https = require('https');\nconst FLOOR = \"TLSv1.1\";\nnew https.Agent({ minVersion: 'TLSv1.2' });",
            },
          ],
        },
      ],
    },
  ],
});

tester.run('deprecated-tls-api', rule('deprecated-tls-api'), {
  valid: ["import tls from 'node:tls'; tls.createSecureContext({ minVersion: 'TLSv1.2' });"],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createSecureContext({ secureProtocol: 'TLSv1_2_method' });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          suggestions: [
            {
              messageId: 'replaceSecureProtocol',
              output:
                "import tls from 'node:tls';\ntls.createSecureContext({ minVersion: 'TLSv1.2' });",
            },
          ],
        },
      ],
    },
  ],
});

tester.run('certificate-verification-disabled', rule('certificate-verification-disabled'), {
  valid: [
    "import https from 'node:https'; https.get('https://example.com', { rejectUnauthorized: true });",
    "https.get('https://example.com');",
  ],
  invalid: [
    {
      code: "import https from 'node:https';\nnew https.Agent({ keepAlive: true, rejectUnauthorized: false });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          column: 36,
          suggestions: [
            {
              messageId: 'dropRejectUnauthorized',
              output: "import https from 'node:https';\nnew https.Agent({ keepAlive: true });",
            },
          ],
        },
      ],
    },
    {
      code: "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
      errors: [{ messageId: 'finding', line: 1, suggestions: [] }],
    },
  ],
});

tester.run('hostname-verification-disabled', rule('hostname-verification-disabled'), {
  valid: [
    "import tls from 'node:tls'; tls.connect({ host: 'example.com', servername: 'example.com' });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.connect({ host: 'example.com', checkServerIdentity: () => undefined });",
      errors: [{ messageId: 'finding', line: 2 }],
    },
  ],
});

const intermediate = mozillaProfile('intermediate')
  .suites.map((s) => s.openssl)
  .join(':');
tester.run('insecure-cipher-suite', rule('insecure-cipher-suite'), {
  valid: [
    "import tls from 'node:tls'; tls.createServer({ ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256' });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ciphers: 'ALL:@SECLEVEL=0' });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          suggestions: [
            {
              messageId: 'mozillaCiphers',
              output: `import tls from 'node:tls';\ntls.createServer({ ciphers: '${intermediate}' });`,
            },
          ],
        },
      ],
    },
  ],
});

tester.run('cbc-cipher-suite', rule('cbc-cipher-suite'), {
  valid: [
    "import tls from 'node:tls'; tls.createServer({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ciphers: 'ECDHE-RSA-AES128-SHA' });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          suggestions: [
            {
              messageId: 'mozillaCiphers',
              output: `import tls from 'node:tls';\ntls.createServer({ ciphers: '${intermediate}' });`,
            },
          ],
        },
      ],
    },
  ],
});

tester.run('no-forward-secrecy', rule('no-forward-secrecy'), {
  valid: [
    "import tls from 'node:tls'; tls.createServer({ ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ciphers: 'AES256-GCM-SHA384' });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          suggestions: [
            {
              messageId: 'mozillaCiphers',
              output: `import tls from 'node:tls';\ntls.createServer({ ciphers: '${intermediate}' });`,
            },
          ],
        },
      ],
    },
  ],
});

tester.run('invalid-cipher-string', rule('invalid-cipher-string'), {
  valid: [
    "import tls from 'node:tls'; tls.createServer({ ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ciphers: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' });",
      errors: [
        {
          messageId: 'finding',
          line: 2,
          suggestions: [
            {
              messageId: 'mozillaCiphers',
              output: `import tls from 'node:tls';\ntls.createServer({ ciphers: '${intermediate}' });`,
            },
          ],
        },
      ],
    },
  ],
});

tester.run('client-certificate-not-required', rule('client-certificate-not-required'), {
  valid: [
    "import tls from 'node:tls'; tls.createServer({ ca: [caPem], requestCert: true, rejectUnauthorized: true });",
  ],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ca: [caPem], requestCert: process.env.MTLS ? true : false });",
      errors: [{ messageId: 'finding', line: 2 }],
    },
  ],
});

tester.run('client-certificate-not-verified', rule('client-certificate-not-verified'), {
  valid: ["import tls from 'node:tls'; tls.createServer({ ca: [caPem], requestCert: true });"],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ca: [caPem], requestCert: true, rejectUnauthorized: false });",
      errors: [{ messageId: 'finding', line: 2 }],
    },
  ],
});

tester.run('weak-key', rule('weak-key'), {
  valid: ["import tls from 'node:tls'; tls.createServer({ ecdhCurve: 'X25519:P-256' });"],
  invalid: [
    {
      code: "import tls from 'node:tls';\ntls.createServer({ ecdhCurve: 'secp192r1' });",
      errors: [{ messageId: 'finding', line: 2 }],
    },
    {
      code: `import tls from 'node:tls';\nimport { readFileSync } from 'node:fs';\ntls.createServer({ cert: readFileSync(${cert('rsa1024.pem')}) });`,
      errors: [{ messageId: 'finding', line: 3 }],
    },
  ],
});

const certCase = (name: string) =>
  `import tls from 'node:tls';\nimport { readFileSync } from 'node:fs';\ntls.createServer({ cert: readFileSync(${cert(name)}) });`;
tester.run('certificate-validity', rule('certificate-validity'), {
  valid: [certCase('good.pem')],
  invalid: [{ code: certCase('expired.pem'), errors: [{ messageId: 'finding', line: 3 }] }],
});
tester.run('self-signed-certificate', rule('self-signed-certificate'), {
  valid: [certCase('good.pem')],
  invalid: [{ code: certCase('self-signed.pem'), errors: [{ messageId: 'finding', line: 3 }] }],
});
tester.run('weak-signature-algorithm', rule('weak-signature-algorithm'), {
  valid: [certCase('good.pem')],
  invalid: [{ code: certCase('sha1.pem'), errors: [{ messageId: 'finding', line: 3 }] }],
});

describe('plugin shape', () => {
  it('exposes every JS-applicable tls-lint rule with docs, messages and a schema, and two configs', async () => {
    const { expect } = await import('vitest');
    const { RULES } = await import('../../rules/index.js');
    const ids = RULES.filter((r) => !r.meta.languages || r.meta.languages.includes('node'))
      .map((r) => r.meta.id)
      .sort();
    expect(Object.keys(plugin.rules).sort()).toEqual(ids);
    for (const [id, r] of Object.entries(plugin.rules)) {
      expect(r.meta?.docs?.url).toMatch(new RegExp(`/rules/${id}/README\\.md$`));
      expect(r.meta?.messages?.finding).toBeDefined();
      expect(Array.isArray(r.meta?.schema)).toBe(true);
    }
    const recommended = plugin.configs.recommended.rules!;
    expect(recommended['tls-lint/cbc-cipher-suite']).toBe('warn');
    expect(recommended['tls-lint/insecure-protocol-version']).toBe('error');
    expect(plugin.configs.strict.settings).toEqual({ 'tls-lint': { profile: 'modern' } });
  });
});
