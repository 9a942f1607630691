/**
 * Values that contain themselves: a lazily read property whose value reads the object again
 * (`const o = { a: c ? o.a : 'x' }`, a method whose result's properties read its own result).
 * The second request for a node whose value is being computed, in the same frame, is the
 * "too deeply nested" unknown: the cycle is not unrolled until the depth limits cut it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseNodeSource } from '../../src/languages/node/parse.js';
import { ScopeAnalysis } from '../../src/languages/node/scope.js';
import { Evaluator, type Value } from '../../src/languages/node/values.js';
import { contextsOf, only } from './helpers.js';

/** The value of the last expression statement of `source`, shown as `[a | b]`, `?(reason)`, `"s"`. */
function shownValue(source: string): string {
  const parsed = parseNodeSource('/p/a.js', source);
  if (!parsed.ok) throw new Error('parse');
  const last = parsed.program.body.at(-1);
  if (last?.type !== 'ExpressionStatement') throw new Error('no expression');
  const ev = new Evaluator(new ScopeAnalysis(parsed.program), '/p/a.js', source);
  return show(ev.evaluate(last.expression));
}

function show(v: Value): string {
  if (v.kind === 'conditional') return `[${v.branches.map(show).join(' | ')}]`;
  if (v.kind === 'unknown') return `?(${v.reason})`;
  if (v.kind === 'primitive') return JSON.stringify(v.value);
  return v.kind;
}

afterEach(() => vi.restoreAllMocks());

describe('a value that contains itself', () => {
  it('meets the unknown at its first repetition, each alternative once', () => {
    // Unrolled, the cycle gave "x" once per turn until 64 alternatives were too many:
    // [?(too many alternatives to follow) | "x" | "x" | "x" | "x" | "x"].
    expect(shownValue("const o = { a: c ? o.a : 'x' }; o.a")).toBe(
      '[?(too deeply nested to follow) | "x"]',
    );
  });

  it('is not followed round the cycle a second time', () => {
    // `o.a[0]` is `o.a` itself: its own `[1]` was known only by unrolling the cycle.
    expect(shownValue("const o = { a: [o.a, 'TLSv1'] }; o.a[0][1]")).toBe(
      '?(too deeply nested to follow)',
    );
    expect(shownValue("const o = { a: [o.a, 'TLSv1'] }; o.a[1]")).toBe('"TLSv1"');
  });
});

// typeorm's `parseTableName`: the result of a recursive call is read back through the
// properties of the object the method returns.
const RECURSIVE_METHOD = `
const tls = require('tls');
class Driver {
  parse(target) {
    const fallback = this.fallback;
    if (isNested(target)) {
      const parsed = this.parse(target.inner);
      return { minVersion: target.minVersion || parsed.minVersion || fallback, host: parsed.host };
    }
    if (isAlias(target)) {
      const parsed = this.parse(target.of);
      return { minVersion: target.floor || parsed.minVersion || 'TLSv1', host: parsed.host };
    }
    return { minVersion: 'TLSv1.2', host: target.split(':')[0] };
  }
  connect(target) {
    return tls.connect(this.parse(target));
  }
}
`;

describe('a recursive method whose result reads its own result', () => {
  // Unrolled, the alternatives of each turn added up past the limit: the versions were
  // "too many alternatives to follow", unknown.
  it('keeps the alternatives it can know', () => {
    const c = only(contextsOf(RECURSIVE_METHOD));
    expect(c.api).toBe('tls.connect');
    const values = JSON.stringify(c.protocols);
    expect(values).toContain('TLSv1.2');
    expect(values).toContain('"TLSv1"');
  });

  it('evaluates each node of a frame once, not once per turn of the cycle', () => {
    const compute = vi.spyOn(
      Evaluator.prototype as unknown as { compute: (...a: unknown[]) => Value },
      'compute',
    );
    contextsOf(RECURSIVE_METHOD);
    // Unrolled until the depth limits cut it, this took some 50,000 evaluations (7,000 now:
    // each of the six nested frames of the recursion evaluates the method's body once).
    expect(compute.mock.calls.length).toBeLessThan(15_000);
  });
});
