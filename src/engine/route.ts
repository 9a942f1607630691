/**
 * One file's way to its readers, the same on the main thread and in a worker thread
 * (workers/worker.ts): the path pre-filter, the read through the source cache, each reader's
 * own look at the text (`claims`) and its prefilter. Also the reading context both build, and
 * the wording of a reader that throws.
 */
import path from 'node:path';
import { TargetDetector } from '../config/detect.js';
import type { Policy } from '../config/policy.js';
import { Targets, type TargetPlatform } from '../config/targets.js';
import type {
  LanguageReader,
  PrefilterContext,
  ReadContext,
  SourceFile,
} from '../languages/reader.js';
import type { LintError, LintNotice } from '../model/finding.js';
import type { DiscoveredFile } from './discover.js';
import { minifiedSkip } from './minified.js';
import { describeReadFailure, readFailureKind, type SourceCache } from './source-cache.js';

export interface RouteOptions {
  /** Files named explicitly that no reader handles are skipped silently (see LintOptions). */
  ignoreUnknown?: boolean;
  /** Minified bundles found in a walk are linted too (see minified.ts). */
  includeMinified?: boolean;
}

/** The readers that may take a file by its path (by content, for a file named explicitly). */
export interface Candidates {
  readers: LanguageReader[];
  /** No reader knows the file's name. */
  unknownName: boolean;
}

export function candidatesFor(
  file: DiscoveredFile,
  readers: readonly LanguageReader[],
): Candidates {
  const byPath = readers.filter((r) => r.matchesPath(file.path));
  // A file named explicitly whose name no reader knows is offered to the readers that
  // recognise their format by content (`tls-lint proxy.txt`).
  const unknownName = byPath.length === 0;
  return {
    readers: file.explicit && unknownName ? readers.filter((r) => r.claimsByContent) : byPath,
    unknownName,
  };
}

/** Where one file goes. */
export interface Routed {
  /** Some reader claimed it: it counts as linted. */
  linted: boolean;
  /** The readers that read it (claimed, and kept by their prefilter). */
  readers: LanguageReader[];
  /** Its text, when some reader reads it. */
  source?: SourceFile;
  /** Why it was not checked. */
  error?: LintError;
  /** How it was judged (a minified bundle, not linted). */
  notice?: LintNotice;
}

/** Reads a file and offers it to its candidate readers. */
export function routeFile(
  file: DiscoveredFile,
  { readers: candidates, unknownName }: Candidates,
  sources: SourceCache,
  options: RouteOptions,
  prefilterContext: PrefilterContext,
): Routed {
  const none: Routed = { linted: false, readers: [] };
  if (candidates.length === 0)
    return file.explicit && !options.ignoreUnknown ? { ...none, error: noReader(file.path) } : none;
  // Not cached: most files of a large tree are dropped by the prefilters, and most of the
  // others give no finding; the text of a file with findings is read again at the end (for
  // suppressions, fingerprints and code frames), so no text stays in memory for the whole run.
  const read = sources.readSource(file.path, { keep: false, ...(file.real && { real: true }) });
  if (!read.ok) {
    // Binaries and huge files are skipped silently in a tree walk (bundles, images); a file the
    // user named, a FIFO or device where a config was expected, or a file the run may not
    // read means a file that was not checked.
    const kind = readFailureKind(read.reason);
    const expected = !unknownName || !options.ignoreUnknown;
    if (kind && ((file.explicit && expected) || kind === 'not-regular' || kind === 'unreadable')) {
      return {
        ...none,
        error: {
          file: file.path,
          kind,
          message: `Not checked: ${describeReadFailure(read, sources.maxFileBytes)}`,
        },
      };
    }
    return none;
  }
  const source: SourceFile = { path: file.path, text: read.text, explicit: file.explicit };
  const routed: Routed = { linted: false, readers: [], source };
  let taken = false;
  let bundle = false;
  for (const reader of candidates) {
    if (!safeClaims(reader, source)) continue;
    taken = true;
    // Claimed, but it cannot hold a TLS setting: checked, and neither parsed nor kept.
    if (!safePrefilter(reader, source, prefilterContext)) continue;
    // A minified bundle in a tree walk: not parsed, named in the run's one notice about them.
    const skip = minifiedSkip(source, options);
    if (skip) {
      routed.notice ??= skip;
      bundle = true;
      continue;
    }
    routed.readers.push(reader);
  }
  routed.linted = taken && !bundle;
  if (routed.readers.length === 0) delete routed.source;
  // Recognised by name by a reader that judges by name (a Python file without TLS words):
  // read, nothing to check. Matched only by content-sniffing readers that all declined: no reader.
  if (
    !taken &&
    file.explicit &&
    !options.ignoreUnknown &&
    candidates.every((r) => r.claimsByContent)
  )
    routed.error = noReader(file.path);
  return routed;
}

const READ_FORMATS =
  'JavaScript/TypeScript, Go and Python code, nginx and Envoy configuration, .env and compose files, and Markdown';

function noReader(file: string): LintError {
  return {
    file,
    kind: 'no-reader',
    message: `No reader for this file: tls-lint reads ${READ_FORMATS}, and this file is none of them by name or content; it was not checked (--ignore-unknown skips such files)`,
  };
}

function safeClaims(reader: LanguageReader, file: SourceFile): boolean {
  try {
    return reader.claims(file);
  } catch {
    return false;
  }
}

/** A prefilter that throws keeps the file: the reader decides. */
function safePrefilter(reader: LanguageReader, file: SourceFile, ctx: PrefilterContext): boolean {
  if (!reader.prefilter) return true;
  try {
    return reader.prefilter(file, ctx);
  } catch {
    return true;
  }
}

/** What a reading context is made of; plain data, so that a worker thread can make the same. */
export interface ReadSettings {
  cwd: string;
  policy: Policy;
  /** `--target` values. */
  targets?: ReadonlyMap<TargetPlatform, string>;
  /** See LintOptions.project; already resolved against `cwd`. */
  project?: string | false;
}

/**
 * What a prefilter may read: the modules a file imports; what it reads is not kept. The
 * prefilter's memory of what it found (which modules reach a TLS word, which folders have a
 * project) lives as long as the context: the engine makes one per segment of the walk.
 */
export function prefilterContextFor(
  sources: SourceCache,
  settings: ReadSettings,
): PrefilterContext {
  return {
    readText: (p) => {
      const r = sources.readSource(p, { keep: false });
      return r.ok ? r.text : undefined;
    },
    cwd: settings.cwd,
    ...(settings.project !== undefined && { project: settings.project }),
  };
}

/** Folders whose targets a reading context remembers at most (see `readContextFor`). */
const MAX_TARGET_FOLDERS = 4096;

/** The readers' context over a source cache: targets detected per folder, the one door for files. */
export function readContextFor(sources: SourceCache, settings: ReadSettings): ReadContext {
  const baseTargets = new Targets(settings.targets ?? new Map());
  const detector = new TargetDetector((p) => sources.probeText(p));
  const targetsCache = new Map<string, Targets>();
  const targetsFor = (file: string): Targets => {
    const dir = path.dirname(file);
    let t = targetsCache.get(dir);
    if (!t) {
      t = baseTargets.withDetected(() => detector.forFile(file));
      // A run asks folder after folder, as the walk goes: a bounded memory of them is as good
      // as one of every folder of the tree, which would grow with it.
      if (targetsCache.size >= MAX_TARGET_FOLDERS) targetsCache.clear();
      targetsCache.set(dir, t);
    }
    return t;
  };
  return {
    targetsFor,
    policy: settings.policy,
    readFile: (p) => sources.readSource(p),
    readText: (p) => sources.readText(p),
    readBytes: (p) => sources.readBytes(p),
    cwd: settings.cwd,
    ...(settings.project !== undefined && { project: settings.project }),
  };
}

export function internalError(reader: LanguageReader, file: string, e: unknown): LintError {
  // A stack overflow is a file nested beyond what the reader's walks can follow.
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return {
      file,
      kind: 'too-deep',
      message: `Too deeply nested to analyse (the ${reader.id} reader ran out of stack); the file was not checked`,
    };
  }
  return {
    file,
    kind: 'internal',
    message: `Internal error in the ${reader.id} reader: ${e instanceof Error ? e.message : String(e)}; the file was not checked`,
  };
}
