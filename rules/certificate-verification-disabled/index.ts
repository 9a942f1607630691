import { defineRule } from '../../src/engine/rule-api.js';
import { meta } from './meta.js';

// Implementation pending (owned by the work on this rule's issue).
export const rule = defineRule({
  meta,
  check: () => [],
});
