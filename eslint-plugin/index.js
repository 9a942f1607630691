// The plugin is built with tls-lint itself (one engine, one build); this package only names it
// for ESLint. Source: ./src/, compiled by the root `npm ci`/`npm run build`.
export { default } from 'tls-lint/eslint-plugin';
