// @ts-check
// ESLint for the project's own code: `npm run lint` (with the formatter check and knip). Type-aware
// rules (typescript-eslint's strictTypeChecked) on TypeScript, through the project service; plain
// JavaScript (bin, bench, scripts) gets the rules that need no types. Fixtures are deliberately bad
// TLS code (some of it not valid syntax) and examples are user-facing samples: both stay out.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    'fixtures/',
    'examples/',
    '**/__snapshots__/',
    // The published eslint-plugin-tls-lint package only re-exports the build of eslint-plugin/src
    // (which is linted with the rest of the sources).
    'eslint-plugin/index.js',
    'eslint-plugin/index.d.ts',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // Sources and rules are in tsconfig.json, tests in test/tsconfig.json; the few config
        // files at the root are in neither.
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // noUncheckedIndexedAccess is on, so `xs[i]!` after a bounds check (or on a regex group that
      // matched) is how this code base states what the compiler cannot see; ~850 sites.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Ports, sizes, bits and days go into messages all the time; `undefined`, objects and
      // unions with them are still reported.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowAny: false, allowBoolean: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
      // Shorthands such as `(s) => out.push(s)` are the idiom; a void
      // value used inside an expression is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain JavaScript has no types to check against: the type-aware rules would only report
    // `any` everywhere.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
