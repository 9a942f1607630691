/**
 * A small JSON reader that keeps where every string value is in the text, so a finding inside a
 * package.json script can point at the exact characters. Errors carry the offset.
 */

export interface JsonStringValue {
  /** Keys from the root, e.g. ['scripts', 'start']. */
  path: string[];
  /** Offset of the first character after the opening quote. */
  start: number;
  /** Offset of the closing quote. */
  end: number;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export function jsonStringValues(text: string): JsonStringValue[] {
  const out: JsonStringValue[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /[\s\uFEFF]/.test(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new JsonSyntaxError(
      i >= text.length
        ? `Unexpected end of JSON, expected ${what}`
        : `Unexpected "${text[i]!}" in JSON, expected ${what}`,
      i,
    );
  };
  const string = (): { value: string; start: number; end: number } => {
    if (text[i] !== '"') fail('a string');
    const start = ++i;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const next = text[i + 1];
        if (next === 'u') {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          value +=
            ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[
              next ?? ''
            ] ??
            next ??
            '';
          i += 2;
        }
      } else if (text[i] === '\n') {
        fail('the end of the string');
      } else {
        value += text[i++]!;
      }
    }
    if (i >= text.length) fail('the end of the string');
    const end = i++;
    return { value, start, end };
  };
  const value = (path: string[]): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        const key = string().value;
        ws();
        if (text[i] !== ':') fail('":"');
        i++;
        value([...path, key]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('"," or "}"');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      let n = 0;
      for (;;) {
        value([...path, String(n++)]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('"," or "]"');
      }
    } else if (c === '"') {
      const s = string();
      out.push({ path, start: s.start, end: s.end });
    } else {
      const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
        text.slice(i, i + 64),
      );
      if (!m) fail('a value');
      i += m![0].length;
    }
  };
  value([]);
  ws();
  if (i < text.length) fail('the end of the document');
  return out;
}

/** 1-based line and column of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
