import { defineRule } from '../../src/engine/rule-api.js';
import { DEPRECATIONS } from './deprecations.js';
import { meta } from './meta.js';

export const rule = defineRule({
  meta,
  check(context, { targets }) {
    return context.features.flatMap((use) => {
      const deprecation = DEPRECATIONS[use.feature];
      if (!deprecation) return [];
      return [
        {
          message: `${deprecation.describe(use.detail, targets)}${deprecation.isCall ? '' : ` in ${context.label}`}; use ${deprecation.instead}`,
          at: use.at,
          ...(deprecation.severity && { severity: deprecation.severity(targets) }),
        },
      ];
    });
  },
});
