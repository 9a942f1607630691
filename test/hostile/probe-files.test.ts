/**
 * Files named to the probe (`--ca`, `--cert`, `--key`) go through the same safe read as linted
 * files: a device or FIFO is refused at once (it would block or never end), with a usage error.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-probe-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('probe file options', () => {
  it('refuses a device, a FIFO and a folder as --ca without reading them', async () => {
    const fifo = path.join(dir, 'ca.pem');
    execFileSync('mkfifo', [fifo]);
    for (const [file, why] of [
      ['/dev/zero', 'character device'],
      [fifo, 'FIFO'],
      [dir, 'folder'],
    ] as const) {
      const r = await runMain(['probe', '127.0.0.1:1', '--ca', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--ca "${file}": not a regular file (a ${why})`);
    }
  }, 20_000);
});
