/**
 * The contract between the engine and the per-language readers (adapters).
 *
 * A reader translates its format into `TlsContext`s. It knows its platform's syntax, semantics
 * and defaults, but never decides what is weak: that is the rules' job.
 */
import type { Policy } from '../config/policy.js';
import type { Targets } from '../config/targets.js';
import type { Language, TlsContext } from '../model/context.js';
import type { ReadOutcome } from '../engine/source-cache.js';
import type { LintError, LintNotice } from '../model/finding.js';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  text: string;
  /** True when the user named this file on the command line (pre-commit passes single files). */
  explicit: boolean;
}

export interface ReadContext {
  /** The targets in force for a file (CLI > detected from the project > assumed). */
  targetsFor(path: string): Targets;
  policy: Policy;
  /**
   * The single door for reading any other file (an nginx `include`, a certificate, a parent
   * nginx.conf, go.mod…): the text, or why it was not read. Never throws and never blocks: the
   * file must be a regular file (FIFOs, sockets, devices and folders are refused), within the size
   * cap (checked before reading), and inside the linted tree unless the run has
   * `--follow-outside` (`reason: 'outside'`: say "not followed", never show its content). Text is
   * cached for the code frames of the report. Word a failure with `describeReadFailure`
   * (engine/source-cache.ts).
   */
  readFile(path: string): ReadOutcome;
  /** {@link readFile}'s text, or undefined when it was not read. */
  readText: (path: string) => string | undefined;
  /** Raw bytes of a file (DER certificates), through the same checks; undefined when not read. */
  readBytes(path: string): Buffer | undefined;
  /** The working directory: project files (tsconfig.json) are looked for up to here. */
  cwd?: string;
  /** A TypeScript/JavaScript project configuration given by the user (`--project`); false: none. */
  project?: string | false;
}

/** What a prefilter may look at beyond the file itself: the modules it imports. */
export type PrefilterContext = Pick<ReadContext, 'readText' | 'cwd' | 'project'>;

export interface ReadResult {
  contexts: TlsContext[];
  errors: LintError[];
  /** How files were judged, when the user should know (shown as notes, never fatal). */
  notices?: LintNotice[];
}

export interface LanguageReader {
  /** Unique id, e.g. `node`, `node-env`, `nginx`. */
  id: string;
  language: Language;
  /**
   * Cheap pre-filter on the path alone (extension, base name). Only files that some reader
   * accepts here are read from disk at all.
   */
  matchesPath(path: string): boolean;
  /**
   * Whether this reader handles a file, from its path and text (nginx decides by content).
   * Several readers may claim the same file.
   */
  claims(file: SourceFile): boolean;
  /**
   * `claims` recognises the format by content alone (nginx: `.conf` is also Apache, HOCON, INI…).
   * Such a reader is also offered files named explicitly whatever their names, and a file only
   * it matched by path but did not claim has no reader (an error when named explicitly). Readers
   * without it treat a path match as recognition: their `claims` only skips files with nothing
   * to read (a Python file without TLS words).
   */
  claimsByContent?: boolean;
  /**
   * Optional cheap text test, run on a claimed file before it is parsed: false when the file
   * cannot hold anything this reader reports (no TLS setting, so no context). The engine then
   * neither parses it nor keeps its text. It must be provably safe (a file dropped here would
   * have given no context, finding or notice): `test/engine/prefilters.test.ts` runs every
   * fixture, example and the project's own sources through it. A reader that reads files
   * together (a Go package, nginx includes) must keep every file another one may need, or have
   * no prefilter. Files the reader reads on demand (`ctx.readFile`) are not affected. `ctx` lets
   * it look at other files (a module the file imports may hand it a TLS value); without one it
   * must keep every file that may receive something from another.
   */
  prefilter?: (file: SourceFile, ctx?: PrefilterContext) => boolean;
  /** Reads all files this reader claimed in the run (so multi-file formats can follow includes). */
  read(files: SourceFile[], ctx: ReadContext): ReadResult | Promise<ReadResult>;
  /**
   * `read` takes each file on its own: reading the run's files in consecutive parts gives, part
   * after part, what reading them all at once gives. The engine then reads them a segment of
   * the tree at a time (see lint.ts `SEGMENT_FILES`) and keeps none of their texts to the end.
   */
  readsFilesApart?: true;
  /**
   * A reader that reads each file on its own: `read(files)` is `join` over the contexts of
   * `session(ctx)` applied to each file, in order. The engine may then read its files in worker
   * threads and join on the main thread; results cross threads by structured clone (plain data:
   * a class instance would lose its prototype, a WeakSet mark its object).
   */
  perFile?: PerFileReading;
}

export interface PerFileReading {
  /** Starts a reading session (one per run, or per worker thread); reads one file at a time. */
  session(ctx: ReadContext): (file: SourceFile) => ReadResult;
  /** What `join` knows of a file's contexts by their identity, as plain data to clone. */
  marks(contexts: readonly TlsContext[]): number[];
  /** Puts the marks back on the cloned contexts. */
  restoreMarks(contexts: readonly TlsContext[], marks: readonly number[]): void;
  /** Work across files, over the contexts of all files in file order. */
  join(contexts: TlsContext[]): TlsContext[];
}
