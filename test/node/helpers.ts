import path from 'node:path';
import { Targets, type TargetPlatform } from '../../src/config/targets.js';
import { extractNodeContexts } from '../../src/languages/node/extract.js';
import { parseNodeSource } from '../../src/languages/node/parse.js';
import type { TlsContext } from '../../src/model/context.js';

export const FILE_DIR = path.resolve('/project/src');

export function targets(node?: string): Targets {
  const given = new Map<TargetPlatform, string>();
  if (node) given.set('node', node);
  return new Targets(given);
}

/** Contexts of a source text, parsed as the CLI does (oxc-parser, Babel where oxc fails). */
export function contextsOf(
  source: string,
  options: { ext?: string; node?: string } = {},
): TlsContext[] {
  const file = path.join(FILE_DIR, `app${options.ext ?? '.js'}`);
  const parsed = parseNodeSource(file, source);
  if (!parsed.ok)
    throw new Error(
      `parse failed: ${parsed.error.message} at ${parsed.error.line}:${parsed.error.column}`,
    );
  return extractNodeContexts(parsed.program, {
    file,
    targets: targets(options.node),
    sourceText: source,
  }).contexts;
}

export function only(contexts: TlsContext[]): TlsContext {
  if (contexts.length !== 1)
    throw new Error(
      `expected one context, got ${contexts.length}: ${contexts.map((c) => c.api).join(', ')}`,
    );
  return contexts[0]!;
}
