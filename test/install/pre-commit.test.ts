/**
 * The pre-commit route of the README, with the real pre-commit, from a fresh clone of this
 * checkout: a `.pre-commit-config.yaml` naming the repository and a rev, `pre-commit install`,
 * then `git commit`. pre-commit clones the repository, runs `npm install` and `npm pack` in it
 * (the pack runs `prepare`, our TypeScript build) and installs the tarball globally into its own
 * node environment — the path where a devDependency-only `tsc`, or a `prepare` banner on npm's
 * stdout (pre-commit 3.0 reads it as the tarball's name), breaks the install.
 *
 * One environment build costs tens of seconds, so the test builds it once: `pre-commit
 * try-repo` would build a fresh store on every call. Everything (pre-commit's store, the clone,
 * the throwaway repository) lives in one temp folder; npm reuses its download cache offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { haveProgram } from '../support/system.js';

const run = haveProgram('pre-commit') && haveProgram('git');
const temp = mkdtempSync(path.join(tmpdir(), 'tls-lint-pre-commit-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const GIT_ID = ['-c', 'user.name=tls-lint test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false'];

function env(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PRE_COMMIT_HOME: path.join(temp, 'pre-commit-home'),
    TMPDIR: temp,
    // The packages are in npm's cache after `npm ci`; do not ask the registry again.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'tls-lint test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'tls-lint test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...GIT_ID, ...args], { cwd, env: env(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A git repository holding the checkout as it is now (tracked and new files, not ignored ones): what a user would clone. */
let snapshot: { repo: string; rev: string } | undefined;
function snapshotCheckout(): { repo: string; rev: string } {
  if (snapshot) return snapshot;
  const repo = path.join(temp, 'tls-lint');
  mkdirSync(repo);
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const f of files) {
    try {
      cpSync(path.join(ROOT, f), path.join(repo, f));
    } catch {
      /* deleted in the work tree but not yet in the index */
    }
  }
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'snapshot');
  snapshot = { repo, rev: git(repo, 'rev-parse', 'HEAD').trim() };
  return snapshot;
}

const CLIENT_BAD = ["const https = require('https');", '', 'module.exports = new https.Agent({ rejectUnauthorized: false });', ''].join('\n');
const CLIENT_SUPPRESSED = [
  "const https = require('https');",
  '',
  '// tls-lint-disable-next-line certificate-verification-disabled -- talks only to the local test double, which has no certificate from our CA',
  'module.exports = new https.Agent({ rejectUnauthorized: false });',
  '',
].join('\n');

describe.runIf(run)('pre-commit (the README route, real pre-commit)', () => {
  it('installs from a fresh clone, blocks a staged rejectUnauthorized: false, and passes once it carries a justified suppression', () => {
    const { repo, rev } = snapshotCheckout();
    const project = path.join(temp, 'project');
    mkdirSync(project);
    git(project, 'init', '-q');
    // The README's snippet, with the repository URL and rev of this snapshot.
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const snippet = /```yaml\n# \.pre-commit-config\.yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(snippet, 'README shows a .pre-commit-config.yaml').toBeDefined();
    const config = snippet!.replace(/repo: \S+/, `repo: ${repo}`).replace(/rev: .*/, `rev: ${rev}`);
    expect(config).toContain(`repo: ${repo}`);
    writeFileSync(path.join(project, '.pre-commit-config.yaml'), config);
    git(project, 'add', '.pre-commit-config.yaml');
    git(project, 'commit', '-q', '-m', 'pre-commit config');
    execFileSync('pre-commit', ['install'], { cwd: project, env: env(), encoding: 'utf8' });

    writeFileSync(path.join(project, 'client.js'), CLIENT_BAD);
    git(project, 'add', 'client.js');
    const blocked = spawnSync('git', [...GIT_ID, 'commit', '-m', 'add client'], { cwd: project, env: env(), encoding: 'utf8', timeout: 540_000 });
    const blockedOut = blocked.stdout + blocked.stderr;
    expect(blocked.signal, `the hook environment was still building after 9 minutes:\n${blockedOut}`).toBeNull();
    expect(blockedOut, 'the hook environment installed').not.toContain('An unexpected error has occurred');
    expect(blocked.status, blockedOut).not.toBe(0);
    expect(blockedOut).toMatch(/tls-lint\.+Failed/);
    expect(blockedOut).toContain('certificate-verification-disabled');
    expect(blockedOut).toContain('client.js');
    expect(git(project, 'rev-list', '--count', 'HEAD').trim(), 'nothing was committed').toBe('1');

    writeFileSync(path.join(project, 'client.js'), CLIENT_SUPPRESSED);
    git(project, 'add', 'client.js');
    const passed = spawnSync('git', [...GIT_ID, 'commit', '-m', 'add client'], { cwd: project, env: env(), encoding: 'utf8', timeout: 120_000 });
    const passedOut = passed.stdout + passed.stderr;
    expect(passed.status, passedOut).toBe(0);
    expect(passedOut).toMatch(/tls-lint\.+Passed/);
    expect(git(project, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  }, 600_000);

  it('a clone installed without devDependencies builds and runs (typescript is a dependency)', () => {
    const { repo } = snapshotCheckout();
    const clone = path.join(temp, 'clone');
    git(temp, 'clone', '-q', repo, clone);
    const install = spawnSync('npm', ['ci', '--omit=dev'], { cwd: clone, env: env(), encoding: 'utf8', timeout: 280_000 });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    writeFileSync(path.join(clone, 'client.js'), CLIENT_BAD);
    const lint = spawnSync(process.execPath, ['bin/tls-lint.js', 'client.js'], { cwd: clone, env: env(), encoding: 'utf8' });
    expect(lint.stdout).toContain('certificate-verification-disabled');
    expect(lint.status).toBe(1);
  }, 300_000);
});
