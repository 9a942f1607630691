#!/usr/bin/env node
// The TypeScript build (npm run build / prepare) writes dist/. This file stays plain JS so the
// package bin works without a loader.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`tls-lint: internal error: ${err && err.stack ? err.stack : err}`);
    process.exitCode = 2;
  },
);
