/**
 * The Node.js readers: JS/TS sources (`nodeReader`) and `NODE_TLS_REJECT_UNAUTHORIZED` in .env
 * files, Dockerfiles, YAML (compose, CI, Kubernetes), shell scripts and package.json scripts
 * (`nodeEnvReader`).
 *
 * The extraction itself (`extractNodeContexts`) takes an ESTree Program, so the ESLint plugin
 * runs the very same code on ESLint's AST.
 */
import type { LintError, LintNotice } from '../../model/finding.js';
import type { TlsContext } from '../../model/context.js';
import type { LanguageReader, PerFileReading, SourceFile } from '../reader.js';
import {
  envFileKind,
  mentionsConnectionSwitch,
  mentionsEnvSwitch,
  readEnvFile,
} from './env-files.js';
import { extractNodeContexts } from './extract.js';
import { dropExportSitesUsedElsewhere, EXPORT_SITE_CONTEXTS } from './export-sites.js';
import { isNodeSourcePath, nestingDepth, parseNodeSource, parsedAgain } from './parse.js';
import { treeDepth, type TSESTree } from './ast.js';
import { mayHoldTls } from './prefilter.js';
import { projectResolvers } from './project-modules.js';

export { extractNodeContexts } from './extract.js';
export { parseNodeSource, isNodeSourcePath } from './parse.js';
export { mayConfigureTls, mayReceiveTls } from './prefilter.js';

/** JS/TS files are read one by one; only export sites are looked at across files (join). */
const nodePerFile: PerFileReading = {
  session(ctx) {
    const importsFor =
      ctx.project === false
        ? () => undefined
        : projectResolvers({
            readText: ctx.readText,
            boundary: ctx.cwd ?? process.cwd(),
            ...(ctx.project !== undefined && { project: ctx.project }),
          });
    return (file) => {
      const contexts: TlsContext[] = [];
      const errors: LintError[] = [];
      const notices: LintNotice[] = [];
      const out = { contexts, errors, notices };
      // tsd/expect-type files (`*.test-d.ts`) are type-checked, never run: their objects configure nothing.
      if (isTypeTestPath(file.path)) {
        if (file.explicit)
          notices.push({
            file: file.path,
            message:
              'a type-level test file (*.test-d.ts): it is type-checked, never run, so its options configure nothing',
          });
        return out;
      }
      // The engine gives a file found in a walk only when the prefilter kept it. One named on the
      // command line is always parsed, so that a syntax error is still reported, and analysed
      // when it may hold a TLS setting.
      const mayHold = !file.explicit || mayHoldTls(file.path, file.text, ctx);
      // A module of the project that a file before it imported is parsed already.
      const earlier = mayHold
        ? importsFor(file.path, true)?.parsed?.(file.path, file.text)
        : undefined;
      const parsed = earlier
        ? parsedAgain(file.path, file.text, earlier.program)
        : parseNodeSource(file.path, file.text);
      if (!parsed.ok) {
        errors.push(parsed.error);
        return out;
      }
      if (!mayHold) return out;
      try {
        const imports = importsFor(file.path);
        const result = extractNodeContexts(parsed.program, {
          file: file.path,
          targets: ctx.targetsFor(file.path),
          sourceText: file.text,
          ...(imports && { imports }),
          ...(earlier && { scopes: earlier.scopes }),
        });
        contexts.push(...result.contexts);
      } catch (e) {
        // One file the extractor cannot handle must not hide the others.
        errors.push(readerFailure('node', file, e, parsed.program));
      }
      return out;
    };
  },
  marks: (contexts) => contexts.flatMap((c, i) => (EXPORT_SITE_CONTEXTS.has(c) ? [i] : [])),
  restoreMarks(contexts, marks) {
    for (const i of marks) EXPORT_SITE_CONTEXTS.add(contexts[i]!);
  },
  join: (contexts) => dropExportSitesUsedElsewhere(contexts),
};

export const nodeReader: LanguageReader = {
  id: 'node',
  language: 'node',
  matchesPath: (p) => isNodeSourcePath(p),
  claims: (file) => isNodeSourcePath(file.path),
  // A file that names nothing TLS-related, and imports no module that does, is not even parsed
  // (most of a tree); one named on the command line is, so that its syntax errors are still
  // reported.
  prefilter: (file, ctx) => file.explicit || mayHoldTls(file.path, file.text, ctx),
  read(files, ctx) {
    const readOne = nodePerFile.session(ctx);
    const contexts: TlsContext[] = [];
    const errors: LintError[] = [];
    const notices: LintNotice[] = [];
    for (const file of files) {
      const r = readOne(file);
      contexts.push(...r.contexts);
      errors.push(...r.errors);
      notices.push(...(r.notices ?? []));
    }
    return { contexts: nodePerFile.join(contexts), errors, notices };
  },
  perFile: nodePerFile,
};

/** tsd and similar type-test files: `index.test-d.ts`, `types.test-d.tsx`. */
export function isTypeTestPath(file: string): boolean {
  return /\.test-d\.[cm]?tsx?$/i.test(file);
}

/**
 * Process-wide switches (`NODE_TLS_REJECT_UNAUTHORIZED`, and Python's PYTHONHTTPSVERIFY and
 * CURL_CA_BUNDLE) in .env files, Dockerfiles, YAML, shell scripts and package.json scripts.
 */
export const nodeEnvReader: LanguageReader = {
  id: 'node-env',
  language: 'env',
  // Each file on its own (one .env, one Dockerfile, one package.json): nothing is shared.
  readsFilesApart: true,
  matchesPath: (p) => envFileKind(p) !== undefined,
  // Only files that name a variable (package.json always: a broken one is reported).
  claims: (file) => {
    const kind = envFileKind(file.path);
    return (
      kind === 'package-json' ||
      (kind !== undefined && (mentionsEnvSwitch(file.text) || mentionsConnectionSwitch(file.text)))
    );
  },
  read(files, ctx) {
    const contexts: TlsContext[] = [];
    const errors: LintError[] = [];
    const notices: LintNotice[] = [];
    for (const file of files) {
      try {
        const result = readEnvFile(file.path, file.text, 1, ctx.targetsFor(file.path));
        contexts.push(...result.contexts);
        errors.push(...result.errors);
        for (const message of new Set(result.notices ?? []))
          notices.push({ file: file.path, message });
      } catch (e) {
        errors.push(readerFailure('node-env', file, e));
      }
    }
    return { contexts, errors, notices };
  },
};

/**
 * A throw while reading one file: a stack overflow is nesting too deep to follow, anything else a
 * bug. The depth is counted on the file's tree when it was parsed, else estimated from its text.
 */
function readerFailure(
  reader: string,
  file: SourceFile,
  e: unknown,
  program?: TSESTree.Program,
): LintError {
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    const depth = program ? treeDepth(program) : nestingDepth(file.text);
    return {
      file: file.path,
      kind: 'too-deep',
      message: `Too deeply nested to analyse (depth ${depth}); the file was not checked`,
    };
  }
  return {
    file: file.path,
    kind: 'internal',
    message: `Internal error in the ${reader} reader: ${e instanceof Error ? e.message : String(e)}`,
  };
}
