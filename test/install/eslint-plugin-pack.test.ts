/**
 * Installing works as a user would do it: `npm pack` at the root and in eslint-plugin/ give two
 * tarballs that install into an empty project with ESLint 9 and typescript-eslint, and a
 * three-line eslint.config.js lints JS and TS files with the same findings as `tls-lint` there.
 *
 * The versions installed next to them are the ones this repository pins (so npm takes them from
 * the cache `npm ci` filled; the registry is used when they are not there).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve('.');
const pinned = (name: string) =>
  (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies[name]!;
const work = mkdtempSync(path.join(tmpdir(), 'tls-lint-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

/** Findings as "file:line rule" lines, from ESLint's and tls-lint's JSON. */
function eslintSet(json: string): string[] {
  const results = JSON.parse(json) as Array<{
    filePath: string;
    messages: Array<{ ruleId: string | null; line: number; message: string }>;
  }>;
  return results
    .flatMap((r) =>
      r.messages.map(
        (m) =>
          `${path.basename(r.filePath)}:${m.line} ${m.ruleId?.replace('tls-lint/', '') ?? 'parse-error'}`,
      ),
    )
    .sort();
}
function cliSet(json: string): string[] {
  const out = JSON.parse(json) as {
    findings: Array<{ file: string; line: number; ruleId: string }>;
  };
  return out.findings.map((f) => `${path.basename(f.file)}:${f.line} ${f.ruleId}`).sort();
}

describe('packed tarballs in an empty project', () => {
  it('install with eslint@9 and typescript-eslint, and a three-line config matches the CLI', () => {
    const packs = path.join(work, 'packs');
    mkdirSync(packs);
    // The build is already in dist/ (npm test compiles first); pack exactly that.
    const [core] = JSON.parse(
      npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packs], ROOT),
    ) as Array<{ filename: string }>;
    const [plug] = JSON.parse(
      npm(['pack', '--json', '--pack-destination', packs], path.join(ROOT, 'eslint-plugin')),
    ) as Array<{ filename: string }>;

    const project = path.join(work, 'project');
    mkdirSync(path.join(project, 'src'), { recursive: true });
    writeFileSync(
      path.join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    npm(
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        path.join(packs, core!.filename),
        path.join(packs, plug!.filename),
        `eslint@${pinned('eslint')}`,
        `typescript-eslint@${pinned('typescript-eslint')}`,
      ],
      project,
    );
    writeFileSync(
      path.join(project, 'eslint.config.js'),
      [
        "import tseslint from 'typescript-eslint';",
        "import tlsLint from 'eslint-plugin-tls-lint';",
        "export default [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, tlsLint.configs.recommended];",
      ].join('\n'),
    );
    writeFileSync(
      path.join(project, 'src/client.js'),
      "import https from 'node:https';\nexport const agent = new https.Agent({ rejectUnauthorized: false });\n",
    );
    writeFileSync(
      path.join(project, 'src/server.ts'),
      "import tls from 'node:tls';\ninterface Opts { floor: tls.SecureVersion }\nconst o: Opts = { floor: 'TLSv1' };\nexport const s = tls.createServer({ minVersion: o.floor, ciphers: 'AES128-SHA' as string });\n",
    );

    let eslintOut: string;
    try {
      eslintOut = execFileSync(
        path.join(project, 'node_modules/.bin/eslint'),
        ['-f', 'json', 'src'],
        { cwd: project, encoding: 'utf8' },
      );
    } catch (e) {
      eslintOut = (e as { stdout: string }).stdout; // exit 1: findings
    }
    let cliOut: string;
    try {
      cliOut = execFileSync(
        path.join(project, 'node_modules/.bin/tls-lint'),
        ['-f', 'json', 'src'],
        { cwd: project, encoding: 'utf8' },
      );
    } catch (e) {
      cliOut = (e as { stdout: string }).stdout;
    }
    // The CLI parsed with oxc-parser: installed with the tarball, its native binding too (the
    // CLI would otherwise fall back to Babel without a word).
    expect(
      execFileSync(
        process.execPath,
        ['-e', "import('oxc-parser').then((m) => process.stdout.write(typeof m.parseSync))"],
        { cwd: project, encoding: 'utf8' },
      ),
    ).toBe('function');
    // The installed command runs the bundle, not the tsc build: npm gives the unpacked files
    // the time it wrote them, so a build-time comparison would throw the bundle away.
    const logged = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(ROOT, 'scripts/module-log.mjs')).href,
        path.join(project, 'node_modules/tls-lint/bin/tls-lint.js'),
        '--help',
      ],
      { cwd: project, encoding: 'utf8' },
    );
    const modules = logged.stderr.split('\n').find((l) => l.startsWith('tls-lint-modules: '));
    expect(modules, logged.stderr).toBeDefined();
    const installedDist = path.join(project, 'node_modules/tls-lint/dist');
    expect(JSON.parse(modules!.slice('tls-lint-modules: '.length))).not.toContain(
      path.join(installedDist, 'src/cli/main.js'),
    );
    expect(logged.status).toBe(0);
    const fromEslint = eslintSet(eslintOut);
    expect(fromEslint).toEqual(cliSet(cliOut));
    expect(fromEslint).toEqual(
      expect.arrayContaining([
        'client.js:2 certificate-verification-disabled',
        'server.ts:4 insecure-protocol-version',
        'server.ts:4 cbc-cipher-suite',
      ]),
    );
  }, 180_000);
});
