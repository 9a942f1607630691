/** Static evaluation of binary operators on primitives follows JavaScript's rules. */
import { describe, expect, it } from 'vitest';
import { parseNodeSource } from '../../src/languages/node/parse.js';
import { ScopeAnalysis } from '../../src/languages/node/scope.js';
import { Evaluator } from '../../src/languages/node/values.js';

function valueOf(expr: string): unknown {
  const parsed = parseNodeSource('/p/a.js', `const x = ${expr};`);
  if (!parsed.ok) throw new Error('parse');
  const program = parsed.program;
  const ev = new Evaluator(new ScopeAnalysis(program), '/p/a.js');
  const declaration = program.body[0];
  const init =
    declaration?.type === 'VariableDeclaration' ? declaration.declarations[0].init : undefined;
  if (!init) throw new Error('no initialiser');
  const v = ev.evaluate(init);
  return v.kind === 'primitive' ? v.value : v.kind;
}

describe('binary operators', () => {
  // Expected values as Node computes them; bit operations are read as unsigned 32-bit flags
  // (SSL_OP_ALL has bit 31 set).
  const cases: Array<[string, unknown]> = [
    ["'TLS' + 'v1'", 'TLSv1'],
    ["'v' + 1", 'v1'],
    ['1 + 2', 3],
    ['null + 1', 1],
    ["'10' - 2", 8],
    ['2147483648 | 4', 2147483652],
    ['6 & 3', 2],
    ['5 ^ 1', 4],
    ["'b' < 'a'", false],
    ["'10' < '9'", true],
    ["'10' < 9", false],
    ['undefined < 1', false],
    ['null == undefined', true],
    ["'1' == 1", true],
    ["1 !== '1'", true],
    ['3 >= 3', true],
    ["'a' <= 'a'", true],
  ];
  it.each(cases)('%s', (expr, expected) => {
    expect(valueOf(expr)).toBe(expected);
  });
});
