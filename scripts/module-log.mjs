// Lists the modules a Node process loads, for the start-up benchmark and the tests that keep
// commands light:
//
//   node --import ./scripts/module-log.mjs bin/tls-lint.js --version
//
// At exit it writes one line to stderr, `tls-lint-modules: ["/abs/file.js", …]`: every ES module
// (seen by a loader hook), every CommonJS file (seen by require) and every file compiled as a
// `vm.Script` (the bundle and the TypeScript compiler, run from V8's code cache) the process
// loaded, in order.
import { writeSync } from 'node:fs';
import Module, { register } from 'node:module';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

export const MARKER = 'tls-lint-modules: ';

const files = new Set();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => {
  if (url.startsWith('file:')) files.add(fileURLToPath(url));
});
port1.unref();
register(
  'data:text/javascript,' +
    encodeURIComponent(
      'let port; export function initialize(d) { port = d.port; } export async function load(url, context, next) { port.postMessage(url); return next(url, context); }',
    ),
  import.meta.url,
  { data: { port: port2 }, transferList: [port2] },
);

const load = Module._load;
Module._load = function (request, parent, isMain) {
  try {
    const file = Module._resolveFilename(request, parent, isMain);
    if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) files.add(file);
  } catch {
    // resolution errors are the caller's to report
  }
  return load.apply(this, arguments);
};

const { Script } = vm;
vm.Script = class extends Script {
  constructor(code, options) {
    const filename = typeof options === 'string' ? options : options?.filename;
    if (filename?.startsWith('/') || /^[A-Za-z]:[\\/]/.test(filename ?? '')) files.add(filename);
    super(code, options);
  }
};

process.on('exit', () => {
  files.delete(fileURLToPath(import.meta.url));
  writeSync(2, `\n${MARKER}${JSON.stringify([...files])}\n`);
});
