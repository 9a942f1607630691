/**
 * URL schemes decide whether TLS options are used: plaintext schemes drop them, known TLS-capable
 * schemes keep them, and an unknown scheme keeps them at low precision with a note saying why.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { writeTree } from '../support/trees.js';
import { contextsOf } from './helpers.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('URL schemes of the connection', () => {
  it('an unknown scheme gives low-precision findings that say the scheme is unknown', async () => {
    const root = writeTree(
      'tls-lint-schemes-',
      {
        'bus.js':
          "const { connect } = require('acme-bus');\nconnect('acmebus://broker.internal:7000', { rejectUnauthorized: false });\n",
        'nats.js':
          "const { connect } = require('acme-bus');\nconnect('nats://broker.internal:4222', { rejectUnauthorized: false });\n",
      },
      made,
    );
    const result = await lint({ paths: [root], cwd: root });
    const byFile = Object.fromEntries(result.findings.map((f) => [path.basename(f.at.file), f]));
    expect(byFile['bus.js']).toMatchObject({
      ruleId: 'certificate-verification-disabled',
      precision: 'low',
    });
    expect(byFile['bus.js']!.message).toContain('URL scheme "acmebus:" is not one tls-lint knows');
    // nats: is a scheme whose connections may speak TLS: full confidence for the library call.
    expect(byFile['nats.js']).toMatchObject({ ruleId: 'certificate-verification-disabled' });
    expect(byFile['nats.js']!.precision).not.toBe('low');
    expect(byFile['nats.js']!.message).not.toContain('not one tls-lint knows');
  });

  it('redis: is plaintext for node-redis but not for ioredis', () => {
    const nodeRedis = contextsOf(
      "const { createClient } = require('redis');\ncreateClient({ url: 'redis://h:6379', socket: { rejectUnauthorized: false } });\n",
    );
    expect(nodeRedis.filter((c) => c.peerVerification)).toEqual([]);
    const ioredis = contextsOf(
      "const Redis = require('ioredis');\nnew Redis('redis://h:6379', { tls: { rejectUnauthorized: false } });\n",
    );
    expect(ioredis.map((c) => c.peerVerification)).toEqual([
      expect.objectContaining({ origin: 'explicit', value: false }),
    ]);
    expect(ioredis[0]!.precision).toBeUndefined();
  });
});
