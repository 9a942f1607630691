/**
 * Every Go fixture is Go the compiler accepts: `go vet` runs on all of them (Go 1.19 here and in
 * CI, so fixtures use no newer API). Single-file fixtures and single-package projects are
 * vetted together, each as its own package of one temporary module; a project with packages
 * that import each other (cmd/*, internal/*) is vetted as its own module, with the go.mod lines
 * Go 1.19 does not know (`godebug`, `toolchain`) left out of the copy.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { haveProgram } from '../support/system.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const work = mkdtempSync(path.join(tmpdir(), 'tls-lint-govet-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function goFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'projects' && name !== '__snapshots__') out.push(...goFiles(full));
    } else if (name.endsWith('.go')) out.push(full);
  }
  return out;
}

function goProjects(): string[] {
  const dir = path.join(FIXTURES, 'projects');
  return readdirSync(dir)
    .map((n) => path.join(dir, n))
    .filter((d) => statSync(d).isDirectory() && readdirSync(d).includes('go.mod'));
}

/** A project whose Go files live in several folders (its packages import each other). */
function multiPackage(project: string): boolean {
  return goFiles(project).some(
    (f) => path.dirname(f) !== project && !path.relative(project, f).startsWith('third_party'),
  );
}

/** go.mod for Go 1.19: `go 1.19`, no `godebug`/`toolchain` lines or blocks. */
function goModFor119(text: string): string {
  return text
    .replace(/^godebug\s*\([^)]*\)/gm, '')
    .split('\n')
    .filter((l) => !/^\s*(godebug|toolchain)\b/.test(l))
    .map((l) => l.replace(/^go\s+\S+/, 'go 1.19'))
    .join('\n');
}

function vet(dir: string): string {
  try {
    execFileSync('go', ['vet', './...'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: 'pipe',
      env: {
        ...process.env,
        GOFLAGS: '-mod=mod',
        GOPROXY: 'off',
        GOTOOLCHAIN: 'local',
        GOWORK: 'off',
        GOTELEMETRY: 'off',
      },
    });
    return '';
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    return `${err.stderr ?? ''}${err.stdout ?? ''}` || err.message;
  }
}

const hasGo = haveProgram('go');

describe.runIf(hasGo)('go vet on the Go fixtures', () => {
  it('there are Go fixtures', () => {
    expect(goFiles(FIXTURES).length).toBeGreaterThan(8);
    expect(goProjects().length).toBeGreaterThan(3);
  });

  it('every Go fixture and fixture project vets clean (one module, one go vet run)', () => {
    const root = path.join(work, 'module');
    mkdirSync(root, { recursive: true });
    const names = new Map<string, string>();
    goFiles(FIXTURES).forEach((file, i) => {
      const pkg = path.join(root, `f${i}`);
      mkdirSync(pkg);
      writeFileSync(path.join(pkg, 'main.go'), readFileSync(file, 'utf8'));
      names.set(`f${i}/main.go`, path.relative(FIXTURES, file));
    });
    // Projects become packages of the same module; a grpc stand-in module is replaced in.
    let replaces = '';
    for (const project of goProjects().filter((p) => !multiPackage(p))) {
      const name = path.basename(project);
      cpSync(project, path.join(root, name), {
        recursive: true,
        filter: (src) => !/third_party|go\.mod$/.test(path.relative(project, src)),
      });
      const stub = path.join(project, 'third_party', 'grpc');
      if (statSync(stub, { throwIfNoEntry: false })?.isDirectory())
        replaces = `require google.golang.org/grpc v1.60.0\n\nreplace google.golang.org/grpc => ${stub}\n`;
    }
    writeFileSync(
      path.join(root, 'go.mod'),
      `module tlslint.test/fixtures\n\ngo 1.19\n\n${replaces}`,
    );
    const out = [...names].reduce((s, [tmp, real]) => s.replaceAll(tmp, real), vet(root));
    expect(out).toBe('');
  }, 120_000);

  it('multi-package fixture projects vet clean, each as its own module', () => {
    const projects = goProjects().filter(multiPackage);
    expect(projects.length).toBeGreaterThan(0);
    for (const project of projects) {
      const copy = path.join(work, path.basename(project));
      cpSync(project, copy, { recursive: true });
      writeFileSync(
        path.join(copy, 'go.mod'),
        goModFor119(readFileSync(path.join(project, 'go.mod'), 'utf8')),
      );
      expect(vet(copy), path.basename(project)).toBe('');
    }
  }, 120_000);
});
