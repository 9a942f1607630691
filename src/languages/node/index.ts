import type { LanguageReader } from '../reader.js';

// Implementation pending (Node.js JS/TS reader).
export const nodeReader: LanguageReader = {
  id: 'node',
  language: 'node',
  matchesPath: () => false,
  claims: () => false,
  read: () => ({ contexts: [], errors: [] }),
};

/** `NODE_TLS_REJECT_UNAUTHORIZED` in .env files, Dockerfiles and package.json scripts. */
export const nodeEnvReader: LanguageReader = {
  id: 'node-env',
  language: 'env',
  matchesPath: () => false,
  claims: () => false,
  read: () => ({ contexts: [], errors: [] }),
};
