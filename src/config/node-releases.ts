/**
 * Node.js release lines and their upstream end of life, the one home of that fact.
 *
 * Source: the Node.js Release Working Group's schedule, https://github.com/nodejs/Release
 * (`schedule.json`, and the table in its README), and https://nodejs.org/en/about/previous-releases.
 * Dates are end of life (no more security releases). Re-check once a year, together with
 * `ASSUMED_TARGETS` in targets.ts, and move `NODE_SUPPORT_AS_OF`.
 */
interface NodeReleaseLine {
  major: number;
  /** End of life, ISO date. */
  endOfLife: string;
}

const NODE_RELEASE_LINES: readonly NodeReleaseLine[] = [
  { major: 0, endOfLife: '2016-12-31' }, // 0.10 and 0.12 (both ended on 2016-10-31 / 2016-12-31)
  { major: 4, endOfLife: '2018-04-30' },
  { major: 5, endOfLife: '2016-06-30' },
  { major: 6, endOfLife: '2019-04-30' },
  { major: 7, endOfLife: '2017-06-30' },
  { major: 8, endOfLife: '2019-12-31' },
  { major: 9, endOfLife: '2018-06-30' },
  { major: 10, endOfLife: '2021-04-30' },
  { major: 11, endOfLife: '2019-06-01' },
  { major: 12, endOfLife: '2022-04-30' },
  { major: 13, endOfLife: '2020-06-01' },
  { major: 14, endOfLife: '2023-04-30' },
  { major: 15, endOfLife: '2021-06-01' },
  { major: 16, endOfLife: '2023-09-11' },
  { major: 17, endOfLife: '2022-06-01' },
  { major: 18, endOfLife: '2025-04-30' },
  { major: 19, endOfLife: '2023-06-01' },
  { major: 20, endOfLife: '2026-04-30' },
  { major: 21, endOfLife: '2024-06-01' },
  { major: 22, endOfLife: '2027-04-30' },
  { major: 23, endOfLife: '2025-06-01' },
  { major: 24, endOfLife: '2028-04-30' },
  { major: 25, endOfLife: '2026-06-01' },
  { major: 26, endOfLife: '2029-04-30' },
];

/** The date the support verdicts below are taken at (a fixed date: results never depend on the clock). */
export const NODE_SUPPORT_AS_OF = '2026-12-01';

/** Whether a Node release line still gets security releases on `NODE_SUPPORT_AS_OF`. */
function nodeLineSupported(major: number): boolean {
  const line = NODE_RELEASE_LINES.find((l) => l.major === major);
  // A line newer than the table is current.
  if (!line) return major > NODE_RELEASE_LINES[NODE_RELEASE_LINES.length - 1]!.major;
  return line.endOfLife > NODE_SUPPORT_AS_OF;
}

/** The oldest line in upstream support (what a project that says nothing is assumed to run). */
export const OLDEST_SUPPORTED_NODE = String(
  NODE_RELEASE_LINES.find((l) => nodeLineSupported(l.major))!.major,
);

/** What an `engines.node` range admits, in support terms. */
export interface NodeRangeSupport {
  /** The lowest version the range admits (`6` for `>=6`). */
  lowest: string;
  /** The oldest version of a line in upstream support that the range admits; undefined if none. */
  oldestSupported?: string;
  /** The admitted lines past their end of life, oldest first. */
  unsupportedLines: number[];
}

type Version = [number, number, number];
type Bound = { v: Version; inclusive: boolean };
interface Interval {
  lo: Bound;
  hi?: Bound;
}

const ZERO: Bound = { v: [0, 0, 0], inclusive: true };

/**
 * Reads an npm semver range (`>=6`, `^18.17 || >=20`, `16.x`, `>= 14 < 21`, `12 - 16`) as
 * intervals, enough to tell which release lines it admits. Undefined for what it cannot read
 * (`*` and `latest` admit everything: undefined too, the caller keeps its assumption).
 */
function nodeRangeIntervals(range: string): Interval[] | undefined {
  const out: Interval[] = [];
  for (const raw of range.split('||')) {
    const alt = raw.trim();
    if (alt === '' || alt === '*' || alt === 'x') return undefined;
    const hyphen = /^v?(\S+)\s+-\s+v?(\S+)$/.exec(alt);
    if (hyphen) {
      const a = partial(hyphen[1]!);
      const b = partial(hyphen[2]!);
      if (!a || !b) return undefined;
      out.push({
        lo: { v: a.v, inclusive: true },
        hi: b.parts === 3 ? { v: b.v, inclusive: true } : { v: next(b), inclusive: false },
      });
      continue;
    }
    let interval: Interval = { lo: ZERO };
    for (const m of alt.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/)) {
      const c = /^(>=|<=|>|<|=|\^|~)?v?(.+)$/.exec(m);
      const p = c ? partial(c[2]!) : undefined;
      if (!c || !p) return undefined;
      const op = c[1] ?? '';
      const each: Interval =
        op === '>='
          ? { lo: { v: p.v, inclusive: true } }
          : op === '>'
            ? { lo: p.parts === 3 ? { v: p.v, inclusive: false } : { v: next(p), inclusive: true } }
            : op === '<'
              ? { lo: ZERO, hi: { v: p.v, inclusive: false } }
              : op === '<='
                ? {
                    lo: ZERO,
                    hi:
                      p.parts === 3
                        ? { v: p.v, inclusive: true }
                        : { v: next(p), inclusive: false },
                  }
                : op === '^'
                  ? {
                      lo: { v: p.v, inclusive: true },
                      hi: { v: caretCeiling(p.v), inclusive: false },
                    }
                  : op === '~'
                    ? {
                        lo: { v: p.v, inclusive: true },
                        hi: {
                          v: p.parts === 1 ? [p.v[0] + 1, 0, 0] : [p.v[0], p.v[1] + 1, 0],
                          inclusive: false,
                        },
                      }
                    : {
                        lo: { v: p.v, inclusive: true },
                        hi:
                          p.parts === 3
                            ? { v: p.v, inclusive: true }
                            : { v: next(p), inclusive: false },
                      };
      interval = intersect(interval, each);
    }
    out.push(interval);
  }
  return out;
}

/** Which lines of the table (and later ones) an `engines.node` range admits, in support terms. */
export function nodeRangeSupport(range: string): NodeRangeSupport | undefined {
  const intervals = nodeRangeIntervals(range);
  if (!intervals) return undefined;
  const lastKnown = NODE_RELEASE_LINES[NODE_RELEASE_LINES.length - 1]!.major;
  const majors = [...NODE_RELEASE_LINES.map((l) => l.major), lastKnown + 1, lastKnown + 2];
  let lowest: Version | undefined;
  let oldestSupported: Version | undefined;
  const unsupportedLines: number[] = [];
  for (const major of majors) {
    const line: Interval = {
      lo: { v: [major, 0, 0], inclusive: true },
      hi: { v: [major + 1, 0, 0], inclusive: false },
    };
    const firsts = intervals
      .map((i) => intersect(i, line))
      .filter(nonEmpty)
      .map((i) => i.lo.v);
    if (firsts.length === 0) continue;
    const first = firsts.sort(compare)[0]!;
    lowest ??= first;
    if (nodeLineSupported(major)) oldestSupported ??= first;
    else unsupportedLines.push(major);
  }
  if (!lowest) return undefined;
  return {
    lowest: show(lowest),
    ...(oldestSupported && { oldestSupported: show(oldestSupported) }),
    unsupportedLines,
  };
}

function partial(text: string): { v: Version; parts: number } | undefined {
  const parts = text.split('.');
  const nums: number[] = [];
  for (const part of parts) {
    if (/^(x|X|\*)$/.test(part)) break;
    const n = /^(\d+)/.exec(part);
    if (!n) return undefined;
    nums.push(Number(n[1]));
    if (nums.length === 3) break;
  }
  if (nums.length === 0) return undefined;
  return { v: [nums[0]!, nums[1] ?? 0, nums[2] ?? 0], parts: nums.length };
}

function next(p: { v: Version; parts: number }): Version {
  return p.parts === 1
    ? [p.v[0] + 1, 0, 0]
    : p.parts === 2
      ? [p.v[0], p.v[1] + 1, 0]
      : [p.v[0], p.v[1], p.v[2] + 1];
}

function caretCeiling(v: Version): Version {
  if (v[0] > 0) return [v[0] + 1, 0, 0];
  if (v[1] > 0) return [0, v[1] + 1, 0];
  return [0, 0, v[2] + 1];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function intersect(a: Interval, b: Interval): Interval {
  const c = compare(a.lo.v, b.lo.v);
  const lo =
    c > 0 ? a.lo : c < 0 ? b.lo : { v: a.lo.v, inclusive: a.lo.inclusive && b.lo.inclusive };
  if (!a.hi) return b.hi ? { lo, hi: b.hi } : { lo };
  if (!b.hi) return { lo, hi: a.hi };
  const d = compare(a.hi.v, b.hi.v);
  const hi =
    d < 0 ? a.hi : d > 0 ? b.hi : { v: a.hi.v, inclusive: a.hi.inclusive && b.hi.inclusive };
  return { lo, hi };
}

function nonEmpty(i: Interval): boolean {
  if (!i.hi) return true;
  const c = compare(i.lo.v, i.hi.v);
  return c < 0 || (c === 0 && i.lo.inclusive && i.hi.inclusive);
}

function show(v: Version): string {
  return v[2] !== 0 ? v.join('.') : v[1] !== 0 ? `${v[0]}.${v[1]}` : String(v[0]);
}
