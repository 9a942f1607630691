/**
 * Reads files once per run, within limits, and keeps the text for code frames.
 */
import { readFileSync, statSync } from 'node:fs';

/** Files larger than this are skipped: configs and sources are small; bundles are not ours. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadOutcome = { ok: true; text: string } | { ok: false; reason: 'missing' | 'too-large' | 'binary' | 'unreadable'; detail?: string };

export class SourceCache {
  private readonly texts = new Map<string, string>();
  private readonly bytes = new Map<string, Buffer | undefined>();

  constructor(readonly maxFileBytes = DEFAULT_MAX_FILE_BYTES) {}

  readSource(path: string): ReadOutcome {
    const cached = this.texts.get(path);
    if (cached !== undefined) return { ok: true, text: cached };
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      return { ok: false, reason: 'missing' };
    }
    if (size > this.maxFileBytes) return { ok: false, reason: 'too-large', detail: `${size} bytes` };
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch (e) {
      return { ok: false, reason: 'unreadable', detail: (e as Error).message };
    }
    // A NUL byte in the first 8 KiB marks a binary file, as git decides it.
    if (buf.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary' };
    const text = buf.toString('utf8').replace(/^\uFEFF/, '');
    this.texts.set(path, text);
    return { ok: true, text };
  }

  readText(path: string): string | undefined {
    const r = this.readSource(path);
    return r.ok ? r.text : undefined;
  }

  readBytes(path: string): Buffer | undefined {
    if (this.bytes.has(path)) return this.bytes.get(path);
    let buf: Buffer | undefined;
    try {
      buf = statSync(path).size <= this.maxFileBytes ? readFileSync(path) : undefined;
    } catch {
      buf = undefined;
    }
    this.bytes.set(path, buf);
    return buf;
  }

  /** Text already read in this run (for code frames); never reads. */
  cachedText(path: string): string | undefined {
    return this.texts.get(path);
  }
}
