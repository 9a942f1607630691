import { defineRule } from '../../src/engine/rule-api.js';
import { compareRanges } from '../../src/model/location.js';
import { DEPRECATIONS } from './deprecations.js';
import { meta } from './meta.js';

export const rule = defineRule({
  meta,
  check(context, { targets }) {
    return context.features.flatMap((use) => {
      const deprecation = DEPRECATIONS[use.feature];
      if (!deprecation) return [];
      // A value the platform refuses outright is invalid-protocol-range's error, not a deprecation.
      if (
        context.protocolFailures?.some(
          (f) => f.kind === 'refused' && !f.someBranches && compareRanges(f.at, use.at) === 0,
        )
      )
        return [];
      return [
        {
          headline: `${deprecation.describe(use.detail, targets, context)}${deprecation.isCall ? '' : ` in ${context.label}`}`,
          evidence: deprecation.evidence?.(targets),
          fix: `use ${deprecation.instead}`,
          at: use.at,
          ...(deprecation.severity && { severity: deprecation.severity(targets) }),
        },
      ];
    });
  },
});
