import type { RuleContext, RuleReport } from '../../src/engine/rule-api.js';
import type { TlsContext } from '../../src/model/context.js';

// Implementation pending (owned by the work on this part of the rule).
export function checkWeakMaterial(_context: TlsContext, _env: RuleContext): RuleReport[] {
  return [];
}
