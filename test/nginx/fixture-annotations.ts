/**
 * Reads semgrep-style annotations from nginx fixtures (DESIGN.md §7): `# ruleid: a, b` /
 * `# ok: a` on the line above the line they are about, `# fixture-options: …` anywhere, and
 * this area's own marker `# nginx-t: skip <why>` | `# nginx-t: rejects <message part>`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TargetPlatform } from '../../src/config/targets.js';
import type { Policy } from '../../src/config/policy.js';

export interface Annotation {
  kind: 'ruleid' | 'ok' | 'todoruleid' | 'todook';
  rules: string[];
  file: string;
  /** The line the annotation is about. */
  line: number;
}

export interface FixtureOptions {
  targets: Map<TargetPlatform, string>;
  policy: Partial<Policy>;
}

const ANNOTATION = /^\s*#\s*(ruleid|ok|todoruleid|todook):\s*(.+?)\s*$/;

export function readAnnotations(file: string, text = readFileSync(file, 'utf8')): Annotation[] {
  const lines = text.split(/\r?\n/);
  const out: Annotation[] = [];
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (!m) return;
    // The annotated line is the next one that is not itself an annotation.
    let target = i + 1;
    while (target < lines.length && ANNOTATION.test(lines[target]!)) target++;
    out.push({
      kind: m[1] as Annotation['kind'],
      rules: m[2]!.split(/\s*,\s*/).filter(Boolean),
      file,
      line: target + 1,
    });
  });
  return out;
}

export function readOptions(text: string): FixtureOptions {
  const targets = new Map<TargetPlatform, string>();
  const policy: Partial<Policy> = {};
  const m = /fixture-options:\s*(.+)$/m.exec(text);
  if (m) {
    const args = m[1]!.trim().split(/\s+/);
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--target') {
        const [p, v] = args[++i]!.split('=') as [TargetPlatform, string];
        targets.set(p, v);
      } else if (args[i] === '--mtls') policy.mtls = args[++i] as Policy['mtls'];
      else if (args[i] === '--profile') policy.profile = args[++i] as Policy['profile'];
    }
  }
  return { targets, policy };
}

export type NginxTestMarker =
  | { kind: 'accept' }
  | { kind: 'skip'; why: string }
  | { kind: 'rejects'; message: string };

export function readNginxMarker(text: string): NginxTestMarker {
  const m = /#\s*nginx-t:\s*(skip|rejects)\s+(.+?)\s*$/m.exec(text);
  if (!m) return { kind: 'accept' };
  return m[1] === 'skip' ? { kind: 'skip', why: m[2]! } : { kind: 'rejects', message: m[2]! };
}

/** Every file under a folder (sorted). */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

const FIXTURES_ROOT = path.resolve(__dirname, '../../fixtures');

/** Single-file nginx fixtures (`fixtures/<rule>/nginx-*.conf`) and nginx project trees. */
export function nginxFixtures(): Array<{ name: string; paths: string[]; files: string[] }> {
  const out: Array<{ name: string; paths: string[]; files: string[] }> = [];
  for (const rule of readdirSync(FIXTURES_ROOT).sort()) {
    const dir = path.join(FIXTURES_ROOT, rule);
    if (rule === 'projects' || !statSync(dir).isDirectory()) continue;
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('nginx-') && name.endsWith('.conf'))
        out.push({
          name: `${rule}/${name}`,
          paths: [path.join(dir, name)],
          files: [path.join(dir, name)],
        });
    }
  }
  const projects = path.join(FIXTURES_ROOT, 'projects');
  for (const name of readdirSync(projects).sort()) {
    if (!name.startsWith('nginx-')) continue;
    const dir = path.join(projects, name);
    out.push({
      name: `projects/${name}`,
      paths: [dir],
      files: filesUnder(dir).filter((f) => !f.endsWith('.pem')),
    });
  }
  return out;
}
