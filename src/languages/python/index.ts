/**
 * The Python reader: `ssl` contexts, the HTTP clients and servers that take them or their own
 * verification switches, pyOpenSSL and gRPC credentials, and process-wide switches set in code.
 * Parsed with tree-sitter-python on the shared tree-sitter host.
 */
import type { TlsContext } from '../../model/context.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import { readFailure } from '../failure.js';
import type { LanguageReader } from '../reader.js';
import { extractPythonContexts } from './extract.js';
import { isPythonSourcePath, parsePython } from './parse.js';

export { extractPythonContexts } from './extract.js';
export { parsePython } from './parse.js';

/** Python files that cannot configure TLS are not parsed at all. */
const TLS_WORDS =
  /\b(ssl|SSL|verify|grpc|PYTHONHTTPSVERIFY|CURL_CA_BUNDLE|cert_reqs|assert_hostname)\b/;

export const pythonReader: LanguageReader = {
  id: 'python',
  language: 'python',
  // Each module on its own: values are not followed across modules.
  readsFilesApart: true,
  matchesPath: (p) => isPythonSourcePath(p),
  claims: (file) => isPythonSourcePath(file.path) && TLS_WORDS.test(file.text),
  async read(files, ctx) {
    const contexts: TlsContext[] = [];
    const errors: LintError[] = [];
    const notices: LintNotice[] = [];
    for (const file of files) {
      try {
        const parsed = await parsePython(file.path, file.text);
        if (parsed.error) errors.push(parsed.error);
        const result = extractPythonContexts(parsed.root, parsed.source, {
          targets: ctx.targetsFor(file.path),
        });
        contexts.push(...result.contexts);
        for (const message of new Set(result.notices)) notices.push({ file: file.path, message });
      } catch (e) {
        // One file the reader cannot handle must not hide the others.
        errors.push(readFailure('python', file.path, e));
      }
    }
    return { contexts, errors, notices };
  },
};
