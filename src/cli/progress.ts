/**
 * The progress line and the closing run summary on a terminal: stderr only, never when stderr is
 * not a TTY (CI logs, pipes) or for JSON/SARIF. The progress line appears once a run has taken a
 * second, is redrawn at most every 100 ms, and is erased before the report is written.
 */
import { plural } from '../engine/rule-helpers.js';

export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

export interface Progress {
  /** `total` undefined: not known yet (the walk is still going). */
  update(phase: 'read' | 'analyse', done: number, total: number | undefined): void;
  /** Erases the progress line. */
  clear(): void;
  /** `Linted 12 files, skipped 340, in 1.2s` (only where progress is shown). */
  summary(linted: number, skipped: number): void;
}

const PHASE = { read: 'reading', analyse: 'analysing' } as const;

export function createProgress(
  stream: TerminalStream,
  enabled: boolean,
  now: () => number = () => Date.now(),
): Progress {
  const start = now();
  let shown = false;
  let last = 0;
  const active = enabled && stream.isTTY === true;
  return {
    update(phase, done, total) {
      if (!active) return;
      const t = now();
      if (t - start < 1000 || (t - last < 100 && done !== total)) return;
      last = t;
      shown = true;
      const line =
        total === undefined
          ? `tls-lint: ${PHASE[phase]} ${plural(done, 'file')}…`
          : `tls-lint: ${PHASE[phase]} ${done}/${plural(total, 'file')}`;
      stream.write(`\r\u001b[K${line.slice(0, Math.max(10, (stream.columns ?? 80) - 1))}`);
    },
    clear() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
    summary(linted, skipped) {
      if (!active) return;
      const seconds = (now() - start) / 1000;
      stream.write(
        `Linted ${plural(linted, 'file')}, skipped ${skipped} (no TLS reader for them, binary, too large or excluded), in ${seconds.toFixed(1)}s\n`,
      );
    },
  };
}
