/**
 * The scope walk also gathers connection strings and the class of each `this`, which used to take
 * walks of their own over the whole tree. These pin the corners that walk does not enter for
 * scope facts (a parameter's decorators, an import declaration) and the `this` rules.
 */
import { describe, expect, it } from 'vitest';
import { contextsOf, only } from './helpers.js';

const NO_VERIFY = "'postgres://db.internal/app?sslmode=no-verify'";

describe('connection strings, gathered by the scope walk', () => {
  it('in a template literal and in a plain string, in source order', () => {
    const contexts = contextsOf(
      `const a = \`mongodb://h/app?tls=true&tlsInsecure=true\`;\nconst b = ${NO_VERIFY};`,
    );
    expect(contexts.map((c) => ({ line: c.at.line, verify: c.peerVerification }))).toMatchObject([
      { line: 1, verify: { origin: 'explicit', value: false } },
      { line: 2, verify: { origin: 'explicit', value: false } },
    ]);
  });

  it.each([
    `class Repo { constructor(@Inject(${NO_VERIFY}) db: Db) {} }`,
    `class Repo { constructor(@Inject(${NO_VERIFY}) private db: Db) {} }`,
  ])("in a parameter's decorator: %s", (source) => {
    const context = only(contextsOf(source, { ext: '.ts' }));
    expect(context.at).toMatchObject({ line: 1, column: source.indexOf("'postgres") + 1 });
    expect(context.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });

  it('in an import declaration', () => {
    const context = only(contextsOf(`import db from ${NO_VERIFY};`, { ext: '.mjs' }));
    expect(context.at).toMatchObject({ line: 1, column: 16 });
  });
});

describe('the class of `this`, gathered by the scope walk', () => {
  const SOURCE = (method: string) => `
const https = require('https');
class Client {
  options() { return { rejectUnauthorized: false }; }
  ${method}
}`;

  it('in a method, `this` is an instance of the class', () => {
    const context = only(contextsOf(SOURCE('start() { https.request(this.options()); }')));
    expect(context.api).toBe('https.request');
    expect(context.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });

  it('in an arrow inside a method too', () => {
    const context = only(
      contextsOf(SOURCE('start() { [1].map(() => https.request(this.options())); }')),
    );
    expect(context.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });

  it('not in a plain function inside a method, which has its own `this`', () => {
    const contexts = contextsOf(
      SOURCE('start() { [1].map(function () { https.request(this.options()); }); }'),
    );
    const request = contexts.find((c) => c.api === 'https.request');
    expect(request?.peerVerification?.origin).toBe('unknown');
  });
});
