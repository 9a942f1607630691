/**
 * `NODE_TLS_REJECT_UNAUTHORIZED`: Node turns certificate verification off for every TLS client of
 * the process when this variable is exactly the string "0" (docs/platform-facts.md#nodejs; Node compares with
 * `=== '0'`, so `0` assigned in code, which `process.env` turns into "0", counts too, while "" or
 * "false" do not). Shared by the code reader and the env-file reader.
 */
import { newContext, type Language, type TlsContext } from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import { explicit, unknown, type Setting } from '../../model/setting.js';
import { rangeOf, type EsNode } from './ast.js';
import { shortText } from './options.js';
import { alternatives, type Evaluator, type Value } from './values.js';

export const NODE_TLS_REJECT_UNAUTHORIZED = 'NODE_TLS_REJECT_UNAUTHORIZED';

/** Whether a value of the variable disables verification. */
export function disablesVerification(value: string): boolean {
  return value === '0';
}

export function envRejectContextAt(
  id: string,
  language: Language,
  at: SourceRange,
  peerVerification: Setting<boolean>,
): TlsContext {
  return newContext({
    id,
    language,
    role: 'client',
    at,
    enabledAt: at,
    label: 'the whole process (NODE_TLS_REJECT_UNAUTHORIZED)',
    api: 'process.env.NODE_TLS_REJECT_UNAUTHORIZED',
    scope: 'process',
    recognition: 'known-api',
    peerVerification,
  });
}

/** A context for `process.env.NODE_TLS_REJECT_UNAUTHORIZED = <value>` in code. */
export function envRejectContext(
  id: string,
  ev: Evaluator,
  value: Value,
  at: EsNode,
  valueNode: EsNode,
): TlsContext {
  const range = rangeOf(at, ev.file);
  const branches = alternatives(value).map((v) => {
    if (v.kind !== 'primitive')
      return unknown(
        v.kind === 'unknown' ? v.reason : 'a run-time value',
        range,
        NODE_TLS_REJECT_UNAUTHORIZED,
      );
    // process.env stores every value as a string.
    return explicit(
      !disablesVerification(String(v.value)),
      range,
      NODE_TLS_REJECT_UNAUTHORIZED,
      String(v.value),
    );
  });
  const raw = shortText(ev.text(valueNode));
  const setting: Setting<boolean> =
    branches.length === 1
      ? branches[0]!
      : {
          origin: 'conditional',
          branches,
          at: range,
          key: NODE_TLS_REJECT_UNAUTHORIZED,
          ...(raw !== undefined && { raw }),
        };
  return envRejectContextAt(id, 'node', range, setting);
}
