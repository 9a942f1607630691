/**
 * Temporary file trees for tests. `writeRepo` also makes the folder a git work tree (a `.git`
 * folder), so that it bounds what a run may read, as a repository does under pre-commit.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Writes `files` (relative path → text) into a new temp folder; `made` collects it for cleanup. */
export function writeTree(prefix: string, files: Record<string, string>, made: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** Like `writeTree`, in a folder that is a repository's work tree. */
export function writeRepo(prefix: string, files: Record<string, string>, made: string[]): string {
  const root = writeTree(prefix, files, made);
  mkdirSync(path.join(root, '.git'));
  return root;
}
