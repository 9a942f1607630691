/**
 * A reading worker (see pool.ts): takes chunks of files from the shared counter of the segment
 * in hand, and for each file does what the main thread would do — read it through its own
 * source cache, route it to the readers, read it with each per-file reader — then posts the
 * outcomes of the chunk; then the next segment. It keeps no text and no syntax tree from one
 * file to the next. A `routeOnly` worker stops before
 * reading: it posts the text of the files kept for the main thread to read.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { READERS } from '../../languages/index.js';
import { candidatesFor, prefilterContextFor, readContextFor, routeFile } from '../route.js';
import { registerRawPath, SourceCache } from '../source-cache.js';
import {
  routedOutcome,
  Sessions,
  type FileOutcome,
  type ResultsMessage,
  type RouteOutcome,
  type SegmentMessage,
  type ToWorker,
  type WorkerMessage,
  type WorkerSetup,
} from './protocol.js';

const setup = workerData as WorkerSetup;
const sources = new SourceCache({
  maxFileBytes: setup.maxFileBytes,
  ...(setup.boundaries && { boundaries: setup.boundaries }),
});
const sessions = new Sessions(readContextFor(sources, setup.read));

// One segment after the other, as the main thread posts them, until it says the run is over.
parentPort!.on('message', (segment: ToWorker) => {
  if (segment === 'close') {
    parentPort!.close();
    return;
  }
  readSegment(segment);
  parentPort!.postMessage({ segment: segment.id, done: true } satisfies WorkerMessage);
});

function readSegment({ id, files, counter: shared }: SegmentMessage): void {
  const counter = new Int32Array(shared);
  // What the prefilter and the reads remember lasts a segment, as on the main thread (lint.ts).
  sources.forgetFailures();
  const prefilterContext = prefilterContextFor(sources, setup.read);
  for (;;) {
    const from = Atomics.add(counter, 0, setup.chunk);
    if (from >= files.length) break;
    const to = Math.min(from + setup.chunk, files.length);
    const start = performance.now();
    const outcomes: Array<FileOutcome | RouteOutcome> = [];
    for (let i = from; i < to; i++) {
      const file = files[i]!;
      if (setup.faultOn === file.path) process.exit(7);
      if (file.raw) registerRawPath(file.path, file.raw);
      const routed = routeFile(
        file,
        candidatesFor(file, READERS),
        sources,
        setup.route,
        prefilterContext,
      );
      if (setup.routeOnly) {
        const keep = routed.source && {
          readers: routed.readers.map((r) => r.id),
          text: routed.source.text,
        };
        outcomes.push({ ...routedOutcome(routed), ...(keep && { keep }) });
      } else {
        outcomes.push(sessions.outcomeOf(routed));
      }
    }
    parentPort!.postMessage({
      segment: id,
      from,
      outcomes,
      ms: performance.now() - start,
    } satisfies ResultsMessage);
    Atomics.add(counter, 1, 1);
  }
}
