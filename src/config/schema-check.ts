/**
 * Checks a value against the JSON Schema keywords the config schema uses (type, enum, properties,
 * required, additionalProperties, propertyNames, items, minItems, minLength, minimum, pattern,
 * anyOf, local $ref). The shipped schema is the one home of the config's shape: the loader checks
 * with it, so an editor using the schema and the CLI cannot disagree. A keyword this checker does
 * not know throws, so the schema cannot quietly grow past it.
 */

export type JsonSchema = { [keyword: string]: unknown };

export interface SchemaProblem {
  /** Dotted key path, e.g. `overrides[1].rules.weak-key`; empty for the whole document. */
  key: string;
  message: string;
}

const KNOWN = new Set([
  '$schema',
  '$id',
  '$defs',
  'title',
  'description',
  'type',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'minLength',
  'minimum',
  'pattern',
  'anyOf',
  '$ref',
]);

export function checkSchema(
  value: unknown,
  schema: JsonSchema,
  root: JsonSchema = schema,
  key = '',
): SchemaProblem[] {
  for (const k of Object.keys(schema))
    if (!KNOWN.has(k)) throw new Error(`schema keyword "${k}" is not supported by schema-check.ts`);
  if (typeof schema.$ref === 'string') {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    const target = m ? (root.$defs as Record<string, JsonSchema> | undefined)?.[m[1]!] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return checkSchema(value, target, root, key);
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = schema.anyOf as JsonSchema[];
    const results = branches.map((s) => checkSchema(value, s, root, key));
    if (results.some((r) => r.length === 0)) return [];
    // The branch of the value's own type says what is wrong inside it; else name the types.
    const own = branches.findIndex((s) => typeof s.type === 'string' && hasType(value, s.type));
    return own >= 0
      ? results[own]!
      : [
          {
            key,
            message: `expected ${branches.map(describeType).join(' or ')}, got ${describeValue(value)}`,
          },
        ];
  }
  if (Array.isArray(schema.enum)) {
    if (!schema.enum.includes(value)) {
      return [
        {
          key,
          message: `expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`,
        },
      ];
    }
    return [];
  }
  const type = schema.type as string | undefined;
  if (type && !hasType(value, type))
    return [{ key, message: `expected ${describeType(schema)}, got ${describeValue(value)}` }];
  const problems: SchemaProblem[] = [];
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      problems.push({ key, message: 'must not be empty' });
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      problems.push({
        key,
        message: `${JSON.stringify(value)} is not of the form ${schema.pattern}`,
      });
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum)
    problems.push({ key, message: `must be at least ${schema.minimum}, got ${value}` });
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      problems.push({ key, message: `needs at least ${schema.minItems} item(s)` });
    if (schema.items)
      value.forEach((item, i) =>
        problems.push(...checkSchema(item, schema.items as JsonSchema, root, `${key}[${i}]`)),
      );
  }
  if (isObject(value)) {
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const required of (schema.required ?? []) as string[]) {
      if (!(required in value)) problems.push({ key: join(key, required), message: 'is required' });
    }
    for (const [k, v] of Object.entries(value)) {
      const at = join(key, k);
      if (schema.propertyNames) {
        const nameProblems = checkSchema(k, schema.propertyNames as JsonSchema, root, at);
        if (nameProblems.length) {
          problems.push({
            key: at,
            message: `unknown key (${nameProblems[0]!.message.replace(/^expected /, 'expected a key ')})`,
          });
          continue;
        }
      }
      if (props[k]) problems.push(...checkSchema(v, props[k], root, at));
      else if (schema.additionalProperties === false)
        problems.push({
          key: at,
          message: `unknown key; known: ${Object.keys(props)
            .filter((p) => p !== '$schema')
            .join(', ')}`,
        });
      else if (isObject(schema.additionalProperties))
        problems.push(...checkSchema(v, schema.additionalProperties, root, at));
    }
  }
  return problems;
}

function join(key: string, name: string): string {
  return key ? `${key}.${name}` : name;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      throw new Error(`schema type "${type}" is not supported by schema-check.ts`);
  }
}

function describeType(schema: JsonSchema): string {
  const t = schema.type as string | undefined;
  if (t === 'array')
    return `a list${schema.items && (schema.items as JsonSchema).type ? ` of ${String((schema.items as JsonSchema).type)}s` : ''}`;
  if (t === 'object') return 'an object';
  if (t === 'integer') return 'a whole number';
  return t ? `a ${t}` : 'a value';
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return JSON.stringify(v);
}
