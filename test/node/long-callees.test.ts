/**
 * Labels quote a callee as written when it is short once its whitespace is collapsed (at most 40
 * characters). A long callee (a whole function called in place) is not rewritten at all.
 */
import { describe, expect, it } from 'vitest';
import { contextsOf, only } from './helpers.js';

describe('the callee in a label', () => {
  it('is quoted with its whitespace collapsed, however much of it there is', () => {
    const spaces = ' '.repeat(200);
    const context = only(
      contextsOf(`client${spaces}.${spaces}\n   request({ rejectUnauthorized: false });`),
    );
    expect(context.label).toBe('options passed to client . request()');
  });

  it('is left out past 40 visible characters', () => {
    const body = 'var x = 1;\n'.repeat(20);
    const context = only(contextsOf(`(function (o) {\n${body}})({ rejectUnauthorized: false });`));
    expect(context.label).toBe('options passed to call()');
  });

  it('is quoted at exactly 40 characters', () => {
    const name = `a${'b'.repeat(35)}.cd`; // 39 characters, plus one space below
    const context = only(contextsOf(`${name.replace('.', ' .')}({ rejectUnauthorized: false });`));
    expect(context.label).toBe(`options passed to ${name.replace('.', ' .')}()`);
  });
});
