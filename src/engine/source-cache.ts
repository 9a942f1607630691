/**
 * The single door through which the linter reads files: walked and named files, nginx
 * includes, certificates and keys, parent nginx.conf candidates, package.json, ignore files.
 *
 * Before any byte is read, a file is resolved to its real path (symbolic links followed), must
 * lie inside the linted tree (unless the run opted in with `--follow-outside`), must be a regular
 * file (no FIFO, socket, device or folder: `/dev/zero` would never end), and must be within the
 * size cap. The file is then opened non-blocking and checked again on the open descriptor, so a
 * swap between the check and the read cannot turn it into a FIFO, and at most cap + 1 bytes are
 * read. Outcomes, failures included, are cached: each file is looked at once per run.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import type { LintErrorKind } from '../model/finding.js';

/** Files larger than this are skipped: configs and sources are small; bundles are not ours. */
export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadFailure =
  | 'missing'
  | 'too-large'
  | 'binary'
  | 'unreadable'
  | 'not-regular'
  | 'outside';

export type ReadOutcome =
  | { ok: true; text: string }
  | { ok: false; reason: ReadFailure; detail?: string };

export interface SourceCacheOptions {
  maxFileBytes?: number;
  /**
   * Real paths of the linted tree; files whose real path is outside every one are not read.
   * Undefined: no boundary (library callers that pass their own files).
   */
  boundaries?: readonly string[];
}

/**
 * Walked files whose names are not valid UTF-8 (a Linux name is bytes): the run knows them by a
 * display name with `\xNN` for each byte that is not UTF-8 (see {@link displayName}) and opens
 * them by their real bytes.
 */
const RAW_PATHS = new Map<string, Buffer>();

export function registerRawPath(display: string, raw: Buffer): void {
  RAW_PATHS.set(display, raw);
}

/** The real bytes of a walked file's name, when it is not UTF-8. */
export function rawPathOf(display: string): Buffer | undefined {
  return RAW_PATHS.get(display);
}

/** A file name's bytes as text: UTF-8 where they are UTF-8, `\xNN` for every other byte. */
export function displayName(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD') || Buffer.from(text, 'utf8').equals(bytes)) return text;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
    if (n > 0 && i + n <= bytes.length) {
      try {
        out += decoder.decode(bytes.subarray(i, i + n));
        i += n;
        continue;
      } catch {
        /* not a UTF-8 sequence: escape the byte */
      }
    }
    out += `\\x${b.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}

type BytesOutcome =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: ReadFailure; detail?: string };

export class SourceCache {
  private readonly texts = new Map<string, string>();
  private readonly raw = new Map<string, BytesOutcome>();
  private readonly failures = new Map<string, ReadOutcome & { ok: false }>();
  readonly maxFileBytes: number;
  /** The linted tree (see {@link SourceCacheOptions.boundaries}), each ending with a separator. */
  readonly boundaries: readonly string[] | undefined;

  constructor(options: SourceCacheOptions | number = {}) {
    const o = typeof options === 'number' ? { maxFileBytes: options } : options;
    this.maxFileBytes = o.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.boundaries = o.boundaries?.map((b) => (b.endsWith(path.sep) ? b : b + path.sep));
  }

  /**
   * The text of a file, or why it was not read. Never throws, never blocks on a special file.
   * `keep: false` (the tree walk): the text is not cached, so a run holds the text of the files
   * that matter (code frames of files with findings, read again), not of every file it looked at.
   * The bytes are never cached here: only {@link readBytes} (certificates) keeps them.
   * `real` (a tree walk's regular file, see DiscoveredFile.real): the path is already real, so
   * it is not resolved again (realpath(3) costs a system call per folder of the path).
   */
  readSource(
    file: string,
    options: { keep?: boolean; real?: boolean; probe?: boolean } = {},
  ): ReadOutcome {
    const cached = this.texts.get(file);
    if (cached !== undefined) return { ok: true, text: cached };
    const failed = this.failures.get(file);
    if (failed) return failed;
    // The bytes are decoded at once and not kept: read into the cache's one reused buffer.
    const r = this.raw.get(file) ?? this.open(file, options.real === true, true);
    if (!r.ok) {
      if (!(options.probe && r.reason === 'missing')) this.failures.set(file, failureOf(r));
      return r;
    }
    // A NUL byte in the first 8 KiB marks a binary file, as git decides it.
    if (r.bytes.subarray(0, 8192).includes(0)) {
      this.failures.set(file, BINARY);
      return BINARY;
    }
    const text = r.bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (options.keep !== false) this.texts.set(file, text);
    return { ok: true, text };
  }

  /**
   * Forgets the reads that failed (mostly names the module resolution and project lookups found
   * missing: four for each folder of a tree), so that a run over a large tree does not keep one
   * per path it ever looked for: the engine calls it between segments (lint.ts
   * `SEGMENT_FILES`). A file looked for again is only asked again.
   */
  forgetFailures(): void {
    this.failures.clear();
  }

  readText(file: string): string | undefined {
    const r = this.readSource(file);
    return r.ok ? r.text : undefined;
  }

  /**
   * {@link readText} for a caller that looks for files that are mostly not there and remembers
   * what it found itself (target detection: a score of names in every folder, a package.json in
   * most): neither a missing file nor the text is kept here, where they would stay to the end of
   * the run. (The text of a file with findings is read again for the report.)
   */
  probeText(file: string): string | undefined {
    const r = this.readSource(file, { probe: true, keep: false });
    return r.ok ? r.text : undefined;
  }

  /** Raw bytes (DER certificates, byte order marks); same checks as {@link readSource}. */
  readBytesOutcome(file: string): BytesOutcome {
    return this.load(file);
  }

  readBytes(file: string): Buffer | undefined {
    const r = this.load(file);
    return r.ok ? r.bytes : undefined;
  }

  /** Text already read in this run (for code frames); never reads. */
  cachedText(file: string): string | undefined {
    return this.texts.get(file);
  }

  /** Whether a real path lies inside the linted tree. */
  isInside(real: string): boolean {
    if (!this.boundaries) return true;
    const withSep = real.endsWith(path.sep) ? real : real + path.sep;
    return this.boundaries.some((b) => withSep.startsWith(b));
  }

  private load(file: string): BytesOutcome {
    const cached = this.raw.get(file);
    if (cached) return cached;
    const r = this.open(file);
    this.raw.set(file, r);
    return r;
  }

  /** The buffer reads whose bytes are not kept go to, grown to the largest file read. */
  private scratch: Buffer | undefined;

  /**
   * `listedReal`: the walk listed it as a regular file at its real path, so neither realpath nor
   * stat is asked again; O_NOFOLLOW refuses a link put in its place since, and fstat still checks
   * what was opened. `transient`: the caller is done with the bytes before the next read (they
   * are the reused buffer's, overwritten by it).
   */
  private open(file: string, listedReal = false, transient = false): BytesOutcome {
    const raw = RAW_PATHS.get(file);
    let real: string | Buffer;
    if (listedReal && !raw) {
      real = file;
      if (!this.isInside(real)) return { ok: false, reason: 'outside' };
    } else {
      let stat: Stats | undefined;
      try {
        // Most files asked for by name are probes that find nothing (a package.json, go.mod or
        // tsconfig.json in every folder up the tree): one stat says so, where realpath(3) pays a
        // system call per folder of the path. It also needs no error object when nothing is there.
        stat = statSync(raw ?? file, { throwIfNoEntry: false });
        if (!stat) return { ok: false, reason: 'missing' };
        // The system's realpath(3): one call, where the JS version lstats every folder of the path.
        real = raw ? realpathSync.native(raw, { encoding: 'buffer' }) : realpathSync.native(file);
      } catch (e) {
        return failure(e);
      }
      if (!this.isInside(typeof real === 'string' ? real : displayName(real)))
        return { ok: false, reason: 'outside' };
      // Never opened: a device may act on open, a FIFO may have no writer.
      if (!stat.isFile()) return { ok: false, reason: 'not-regular', detail: fileType(stat) };
      if (stat.size > this.maxFileBytes)
        return { ok: false, reason: 'too-large', detail: `${stat.size} bytes` };
    }
    let fd: number;
    try {
      const flags =
        constants.O_RDONLY |
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined on Windows
        (constants.O_NONBLOCK ?? 0) |
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- undefined on Windows
        (listedReal && !raw ? (constants.O_NOFOLLOW ?? 0) : 0);
      fd = openSync(real, flags);
    } catch (e) {
      return failure(e);
    }
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return { ok: false, reason: 'not-regular', detail: fileType(opened) };
      const cap = this.maxFileBytes;
      if (opened.size > cap)
        return { ok: false, reason: 'too-large', detail: `${opened.size} bytes` };
      // One buffer of at least the measured size + 1 (to see growth); grown only if the file
      // grew since.
      const wanted = Math.min(cap + 1, Math.max(opened.size + 1, 1024));
      let buffer =
        transient && this.scratch && this.scratch.length >= wanted
          ? this.scratch
          : Buffer.allocUnsafe(wanted);
      let total = 0;
      for (;;) {
        if (total === buffer.length) {
          const bigger = Buffer.allocUnsafe(Math.min(cap + 1, buffer.length * 2));
          buffer.copy(bigger, 0, 0, total);
          buffer = bigger;
        }
        const n = readSync(fd, buffer, total, buffer.length - total, null);
        if (n === 0) break;
        total += n;
        // It grew since it was measured: still never more than the cap.
        if (total > cap)
          return { ok: false, reason: 'too-large', detail: `more than ${cap} bytes` };
        // Exactly the measured size, in a buffer with room for more: the read stopped short at
        // the end of the file (no read is needed to hear it again).
        if (total === opened.size) break;
      }
      if (transient) this.scratch = buffer;
      return { ok: true, bytes: buffer.subarray(0, total) };
    } catch (e) {
      return failure(e);
    } finally {
      closeSync(fd);
    }
  }
}

type Failure = ReadOutcome & { ok: false };

/** One object for each failure that has no detail: a tree has many of them. */
const BINARY: Failure = Object.freeze({ ok: false, reason: 'binary' });
const MISSING: Failure = Object.freeze({ ok: false, reason: 'missing' });
const OUTSIDE: Failure = Object.freeze({ ok: false, reason: 'outside' });

function failureOf(r: Failure): Failure {
  if (r.detail !== undefined) return r;
  return r.reason === 'missing' ? MISSING : r.reason === 'outside' ? OUTSIDE : r;
}

function failure(e: unknown): { ok: false; reason: ReadFailure; detail?: string } {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing' };
  if (code === 'ELOOP')
    return { ok: false, reason: 'unreadable', detail: 'too many levels of symbolic links' };
  if (code === 'EACCES' || code === 'EPERM')
    return { ok: false, reason: 'unreadable', detail: 'permission denied' };
  if (code === 'EISDIR') return { ok: false, reason: 'not-regular', detail: 'a folder' };
  return { ok: false, reason: 'unreadable', detail: code ?? 'read error' };
}

/** What a non-regular file is, in words. */
function fileType(stat: Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The error kind of a read failure; `outside` is not an error (the user did not opt in). */
export function readFailureKind(reason: ReadFailure): LintErrorKind | undefined {
  return reason === 'outside' ? undefined : reason;
}

/** A read failure in words, for messages: never the file's content. */
export function describeReadFailure(
  r: { reason: ReadFailure; detail?: string },
  maxFileBytes = DEFAULT_MAX_FILE_BYTES,
): string {
  switch (r.reason) {
    case 'missing':
      return 'not found';
    case 'too-large':
      return `too large to check (${r.detail ?? 'over the limit'}; the limit is ${maxFileBytes} bytes), not read`;
    case 'binary':
      return 'a binary file, not read';
    case 'not-regular':
      return `not a regular file (${r.detail ?? 'special file'}), not read`;
    case 'outside':
      return 'not followed: outside the linted tree (--follow-outside reads it)';
    case 'unreadable':
      return `cannot be read (${r.detail ?? 'read error'})`;
  }
}
