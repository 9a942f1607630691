/**
 * Values of Python expressions as far as the reader can know them statically: constants, names
 * of imported modules and their members (resolved through `import … as …`), tracked TLS objects,
 * local functions and classes, bit-flag expressions and alternatives (`a if c else b`).
 * Anything else is `unknown` with the reason — never guessed.
 */
import type { PyNode } from './syntax.js';
import type { TrackedObject } from './objects.js';

export type Value =
  | { kind: 'const'; value: string | number | boolean | null; node: PyNode }
  /** A member of an imported module, by its full dotted path: `ssl.CERT_NONE`, `requests.Session`. */
  | { kind: 'name'; path: string; node: PyNode }
  | { kind: 'object'; object: TrackedObject; node: PyNode }
  | { kind: 'function'; def: PyNode; id: number; scopeRef: unknown; className?: string }
  | { kind: 'class'; def: PyNode; name: string; bases: Value[]; scopeRef: unknown }
  /** `a | b | c` */
  | { kind: 'flags'; items: Value[]; node: PyNode }
  /** `~a` */
  | { kind: 'invert'; value: Value; node: PyNode }
  | { kind: 'either'; options: Value[]; node: PyNode }
  | { kind: 'sequence'; items: Value[]; node: PyNode }
  | { kind: 'dict'; entries: Map<string, Value>; node: PyNode }
  /** An instance of a local class. */
  | { kind: 'instance'; className: string; classValue: Value & { kind: 'class' }; node: PyNode }
  | { kind: 'unknown'; reason: string; node?: PyNode };

export function unknownValue(reason: string, node?: PyNode): Value {
  return { kind: 'unknown', reason, ...(node && { node }) };
}

/** The alternatives of a value (one for a plain value). */
export function alternativesOf(v: Value): Value[] {
  return v.kind === 'either' ? v.options.flatMap(alternativesOf) : [v];
}

/** `ssl.CERT_NONE` → `CERT_NONE` when the value is a member of `module` (or of a sub-path). */
export function memberOf(v: Value, ...modules: string[]): string | undefined {
  if (v.kind !== 'name') return undefined;
  // The longest module wins: `ssl.VerifyMode.CERT_NONE` is `CERT_NONE` of `ssl.VerifyMode`.
  const m = modules
    .filter((x) => v.path.startsWith(`${x}.`))
    .sort((a, b) => b.length - a.length)[0];
  return m === undefined ? undefined : v.path.slice(m.length + 1);
}

/** Truthiness of a constant: `False`, `None`, `0`, `""` are falsy. Undefined when not constant. */
export function truthy(v: Value): boolean | undefined {
  if (v.kind !== 'const') return undefined;
  return !(v.value === false || v.value === null || v.value === 0 || v.value === '');
}
