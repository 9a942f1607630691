import type { ESLint, Linter } from 'eslint';

declare const plugin: ESLint.Plugin & {
  configs: {
    /** Every rule at its default severity, Mozilla intermediate profile. */
    recommended: Linter.Config;
    /** Every rule an error, Mozilla modern profile. */
    strict: Linter.Config;
  };
};
export default plugin;
