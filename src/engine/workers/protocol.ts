/**
 * What the main thread and the reading workers exchange. Everything here crosses threads by
 * structured clone: plain objects, arrays, Maps, Buffers; no class instance, no function.
 */
import type { LanguageReader, ReadResult, SourceFile } from '../../languages/reader.js';
import type { TlsContext } from '../../model/context.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import { internalError, type ReadSettings, type RouteOptions, type Routed } from '../route.js';

export interface WorkerSetup {
  chunk: number;
  maxFileBytes: number;
  boundaries?: readonly string[];
  route: RouteOptions;
  read: ReadSettings;
  /**
   * Only route the files (the first stage of the pipeline, see pool.ts): post each file's
   * routing and the text of the files some reader keeps, for the main thread to read.
   */
  routeOnly?: boolean;
  /** Tests only: the worker dies (exit code 7) when it comes to this file. */
  faultOn?: string;
}

/** A segment of the run's files (see lint.ts `SEGMENT_FILES`), posted to every worker. */
export interface SegmentMessage {
  id: number;
  /** The segment's files the pool reads, in the run's order. */
  files: ReadonlyArray<{ path: string; explicit: boolean; real?: true; raw?: Buffer }>;
  /**
   * Int32Array [next index to take, chunks posted]: the workers take chunks of `chunk` files
   * from the first and count the chunks they post in the second (see pool.ts `helpRoute`).
   */
  counter: SharedArrayBuffer;
}

/** What the main thread posts a worker: a segment to read, or that the run is over. */
export type ToWorker = SegmentMessage | 'close';

/** One reader's results for one file. */
export interface ReaderOutcome {
  reader: string;
  contexts: TlsContext[];
  errors: LintError[];
  notices: LintNotice[];
  /** `PerFileReading.marks` of the contexts. */
  marks: number[];
}

/** One file: whether it was linted, why not, and what each reader read in it. */
export interface FileOutcome {
  linted: boolean;
  error?: LintError;
  notice?: LintNotice;
  reads: ReaderOutcome[];
}

/** What routing says of a file, before any reader reads it. */
export function routedOutcome(routed: Routed): Omit<FileOutcome, 'reads'> {
  return {
    linted: routed.linted,
    ...(routed.error && { error: routed.error }),
    ...(routed.notice && { notice: routed.notice }),
  };
}

/** The outcome of most files of a tree: nothing read, no error, no notice. */
const NOTHING_READ = {
  linted: Object.freeze<FileOutcome>({ linted: true, reads: Object.freeze([]) as never }),
  skipped: Object.freeze<FileOutcome>({ linted: false, reads: Object.freeze([]) as never }),
};

/**
 * An outcome as kept until the run puts the outcomes in file order: one shared object for a
 * file nothing was read in, so that the files a run drops cost it no object each.
 */
export function compactOutcome(outcome: FileOutcome): FileOutcome {
  if (outcome.reads.length > 0 || outcome.error || outcome.notice) return outcome;
  return outcome.linted ? NOTHING_READ.linted : NOTHING_READ.skipped;
}

/**
 * One file routed by a `routeOnly` worker: what a {@link FileOutcome} says before reading, the
 * readers that keep the file (by id) and its text, sent only for those (1% of a large tree).
 */
export interface RouteOutcome extends Omit<FileOutcome, 'reads'> {
  keep?: { readers: string[]; text: string };
}

export interface ResultsMessage {
  segment: number;
  from: number;
  outcomes: FileOutcome[] | RouteOutcome[];
  /** Milliseconds the worker spent on the chunk (the pipeline weighs it, see pool.ts). */
  ms: number;
}

/** What a worker posts: a chunk's outcomes, then that it has taken all of the segment's. */
export type WorkerMessage = ResultsMessage | { segment: number; done: true };

/** Per-file reading sessions, one per reader, made on first use. */
export class Sessions {
  private readonly made = new Map<LanguageReader, (file: SourceFile) => ReadResult>();

  constructor(
    private readonly ctx: Parameters<NonNullable<LanguageReader['perFile']>['session']>[0],
  ) {}

  /** A routed file's outcome: what routing says of it, and what each reader that kept it read. */
  outcomeOf(routed: Routed): FileOutcome {
    return {
      ...routedOutcome(routed),
      reads: routed.source ? this.read(routed.readers, routed.source) : [],
    };
  }

  /** Reads a routed file with each reader that kept it; a reader that throws is an error of that file. */
  read(readers: readonly LanguageReader[], source: SourceFile): ReaderOutcome[] {
    const out: ReaderOutcome[] = [];
    for (const reader of readers) {
      const perFile = reader.perFile!;
      let session = this.made.get(reader);
      if (!session) this.made.set(reader, (session = perFile.session(this.ctx)));
      let r: ReadResult;
      try {
        r = session(source);
      } catch (e) {
        r = { contexts: [], errors: [internalError(reader, source.path, e)] };
      }
      out.push({
        reader: reader.id,
        contexts: r.contexts,
        errors: r.errors,
        notices: r.notices ?? [],
        marks: perFile.marks(r.contexts),
      });
    }
    return out;
  }
}
