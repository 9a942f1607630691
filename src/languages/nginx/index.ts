/**
 * The nginx reader: whole configurations with `include`, inheritance http → server →
 * location, virtual-server selection and version-aware defaults; TLS servers of http{},
 * stream{} and mail{}, and nginx's TLS connections to its upstreams.
 *
 * All claimed files are read together: files included by another claimed file are linted
 * through it (once, in the context they are included in); the rest are roots. A root with
 * `http{}`/`events{}`/`stream{}` is a main config; any other root is a fragment (a site file,
 * a snippet) whose enclosing blocks are unknown, so whatever they could set is "unknown" —
 * unless an nginx.conf in a folder above includes it (enclosing.ts): then it is judged through
 * that main config.
 *
 * Notes keys this reader sets on contexts:
 * - `notes.protocols`: the default-server trap (protocols come from another server{}).
 * - `notes.clientVerify`: `ssl_verify_client on|optional` without a CA (nginx refuses to start).
 * - `notes.peerVerification`: `proxy_ssl_verify on` without a trusted CA (nginx refuses to start).
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import type { LintError, LintNotice } from '../../model/finding.js';
import type { LanguageReader, ReadContext, ReadResult, SourceFile } from '../reader.js';
import { PASSES, buildClientContext, type ClientSite } from './clients.js';
import { enclosingMainFinder, errorsIn, involves } from './enclosing.js';
import { looksLikeNginx, looksLikeNginxPath } from './detect.js';
import {
  ConfigLoader,
  isMainConfig,
  type ConfBlock,
  type ExpandOptions,
  type ParseCache,
} from './includes.js';
import {
  blocksNamed,
  directivesNamed,
  shortLocation,
  type Level,
  type LevelKind,
} from './levels.js';
import {
  AddressTable,
  buildServerContext,
  collectServer,
  type EvalEnv,
  type Module,
  type ServerInfo,
} from './servers.js';
import {
  buildLatentModuleContext,
  buildListenerlessContext,
  buildSnippetContexts,
} from './snippets.js';
import { validateBlock } from './validate.js';

export const nginxReader: LanguageReader = {
  id: 'nginx',
  language: 'nginx',
  matchesPath: looksLikeNginxPath,
  claims: (file: SourceFile) => looksLikeNginx(file.text),
  claimsByContent: true,
  read: readNginx,
};

function readNginx(files: SourceFile[], ctx: ReadContext): ReadResult {
  const parses: ParseCache = new Map();
  const loader = new ConfigLoader(
    (p) => ctx.readFile(p),
    (p) => ctx.readBytes(p),
    parses,
  );
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const f of files) loader.parse(f.path, f.text);
  const sorted = [...byPath.keys()].sort();
  const { expansions, includedBy } = expandClaimed(sorted, byPath, loader);
  const roots = findRoots(sorted, includedBy);
  const { contexts, errors, notices } = evaluateRoots(roots, expansions, ctx, parses);
  // nginx links the system's OpenSSL: `--target openssl=…` decides what it can negotiate.
  for (const c of contexts) c.tlsLibrary = 'system-openssl';
  // Files read only while a file that turned out to be included was expanded as if it were a
  // root (its includes tried relative to its own folder) are not read by nginx: their syntax
  // errors are not this configuration's.
  const readByRoots = new Set(roots.flatMap((root) => [...(expansions.get(root)?.used ?? [])]));
  const loaderErrors = loader.errors.filter((e) => byPath.has(e.file) || readByRoots.has(e.file));
  const loaderNotices = loader.notices.filter((n) => byPath.has(n.file) || readByRoots.has(n.file));
  return {
    contexts,
    errors: uniqueErrors([...loaderErrors, ...errors]),
    notices: [...notices, ...loaderNotices],
  };
}

interface Expansion {
  block: ConfBlock | undefined;
  options: ExpandOptions;
  used: Set<string>;
}

/** Expands every claimed file as if it were a root, and records which claimed files each pulls in. */
function expandClaimed(
  sorted: readonly string[],
  byPath: ReadonlyMap<string, SourceFile>,
  loader: ConfigLoader,
): { expansions: Map<string, Expansion>; includedBy: Map<string, Set<string>> } {
  // Which claimed files does each claimed file pull in (with its own directory as prefix)?
  const includedBy = new Map<string, Set<string>>();
  const expansions = new Map<string, Expansion>();
  for (const file of sorted) {
    let options = optionsFor(file, loader);
    let used = new Set<string>();
    let block = loader.expandFile(file, options, used);
    // `nginx.conf` may hold only main-level directives and `include main.d/*.conf;` bringing in
    // events{} and http{}: it is a main config all the same.
    if (block && !options.rootIsMain && isMainConfig(block.nodes.map((n) => n.d))) {
      options = { ...options, rootIsMain: true };
      used = new Set<string>();
      block = loader.expandFile(file, options, used);
    }
    expansions.set(file, { block, options, used });
    for (const u of used) {
      if (u === file || !byPath.has(u)) continue;
      const set = includedBy.get(u) ?? new Set();
      set.add(file);
      includedBy.set(u, set);
    }
  }
  return { expansions, includedBy };
}

/** Roots: files nothing else includes; then, for include cycles, the first unreached file. */
function findRoots(
  sorted: readonly string[],
  includedBy: ReadonlyMap<string, Set<string>>,
): string[] {
  const roots: string[] = [];
  const reached = new Set<string>();
  const reach = (file: string): void => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const [child, parents] of includedBy) if (parents.has(file)) reach(child);
  };
  for (const file of sorted) if (!includedBy.has(file)) roots.push(file);
  roots.forEach(reach);
  for (const file of sorted) {
    if (reached.has(file)) continue;
    roots.push(file);
    reach(file);
  }
  return roots;
}

/**
 * Evaluates each root: a main config as itself, a fragment through the nginx.conf above it that
 * includes it, else alone (with a notice saying what that leaves unknown).
 */
function evaluateRoots(
  roots: readonly string[],
  expansions: ReadonlyMap<string, Expansion>,
  ctx: ReadContext,
  parses: ParseCache,
): { contexts: TlsContext[]; errors: LintError[]; notices: LintNotice[] } {
  const contexts: TlsContext[] = [];
  const errors: LintError[] = [];
  const notices: LintNotice[] = [];
  const evaluate = (
    root: string,
    block: ConfBlock,
    options: ExpandOptions,
    into: TlsContext[],
    errorsInto: LintError[],
  ): void => {
    const t = ctx.targetsFor(root).get('nginx');
    let n = 0;
    const env: EvalEnv = {
      version: t.version,
      targets: ctx.targetsFor(root),
      versionNote:
        t.source === 'assumed'
          ? `nginx ${t.version} assumed; set --target nginx=<version>`
          : `target nginx ${t.version}`,
      prefixDir: options.prefixDir,
      root,
      complete: block.nodes.some((node) => node.d.name === 'events' && node.block),
      contexts: into,
      errors: errorsInto,
      nextId: () => `${root}#${++n}`,
    };
    evaluateRoot(root, block, options, env);
  };
  const throughMain = new Map<string, { contexts: TlsContext[]; errors: LintError[] }>();
  const taken = new Set<string>();
  const findEnclosingMain = enclosingMainFinder((p) => ctx.readFile(p), parses);
  for (const root of roots) {
    const { block, options } = expansions.get(root)!;
    if (!block) continue;
    const enclosing = options.rootIsMain ? undefined : findEnclosingMain(root);
    if (!enclosing) {
      const before = contexts.length;
      evaluate(root, block, options, contexts, errors);
      if (!options.rootIsMain && contexts.length > before) {
        // Unknown is not insecure, so a lone site file loses every default-based finding: say so.
        notices.push({
          file: root,
          message:
            'linted as a fragment: no nginx.conf above it includes it, so what the enclosing block sets, and the nginx defaults it would fall back to (the default "ssl_protocols", "proxy_ssl_verify off"), are unknown and not judged; lint it together with the nginx.conf that includes it',
          group: {
            id: 'nginx-fragment',
            noun: 'nginx file',
            summary:
              'were linted as fragments: no nginx.conf above them includes them, so what their enclosing blocks set, and the nginx defaults they would fall back to (the default "ssl_protocols", "proxy_ssl_verify off"), are unknown and not judged; lint them together with the nginx.conf that includes them',
          },
        });
      }
      continue;
    }
    let whole = throughMain.get(enclosing.main);
    if (!whole) {
      whole = { contexts: [], errors: [] };
      evaluate(enclosing.main, enclosing.block, enclosing.options, whole.contexts, whole.errors);
      throughMain.set(enclosing.main, whole);
    }
    contexts.push(...whole.contexts.filter((c) => involves(c, root) && !taken.has(c.id)));
    for (const c of contexts) taken.add(c.id);
    errors.push(...errorsIn(whole.errors, root));
  }
  return { contexts, errors, notices };
}

/** A file included by several roots is checked through each of them: say each problem once. */
function uniqueErrors(errors: readonly LintError[]): LintError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.file}\0${e.line ?? 0}\0${e.column ?? 0}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function optionsFor(file: string, loader: ConfigLoader): ExpandOptions {
  const parsed = loader.parse(file);
  return {
    prefixDir: path.dirname(file),
    rootIsMain: parsed ? isMainConfig(parsed.directives) : false,
  };
}

function evaluateRoot(root: string, block: ConfBlock, options: ExpandOptions, env: EvalEnv): void {
  if (options.rootIsMain) {
    validateBlock(block, 'main', env.errors);
    const main: Level = { kind: 'main', block, name: 'main' };
    for (const node of [
      ...blocksNamed(block, 'http'),
      ...blocksNamed(block, 'stream'),
      ...blocksNamed(block, 'mail'),
    ]) {
      const module = node.d.name as Module;
      evaluateModule(
        { kind: module, block: node.block!, directive: node.d, parent: main, name: `${module}{}` },
        module,
        env,
      );
    }
    return;
  }
  // A fragment: guess the block it belongs in from what it holds.
  const hasServers = blocksNamed(block, 'server').length > 0;
  if (hasServers) {
    const module: Module = looksLikeStream(block) ? 'stream' : 'http';
    validateBlock(block, module, env.errors);
    evaluateModule(
      {
        kind: module,
        block,
        name: `${module}{} (in the config that includes ${path.basename(root)})`,
        implied: root,
      },
      module,
      env,
    );
    return;
  }
  validateBlock(block, 'server', env.errors);
  const top: Level = {
    kind: 'server',
    block,
    name: `the server{} that includes ${path.basename(root)}`,
    implied: root,
  };
  buildSnippetContexts(top, env);
  walkLocations(top, env);
}

/** Stream fragments proxy to `host:port` without a scheme and have no locations. */
function looksLikeStream(block: ConfBlock): boolean {
  return blocksNamed(block, 'server').every((server) => {
    const passes = directivesNamed(server.block!, 'proxy_pass');
    const schemeless = passes.every((d) => !/^[a-z]+:\/\//i.test(d.args[0]?.value ?? ''));
    return blocksNamed(server.block!, 'location').length === 0 && passes.length > 0 && schemeless;
  });
}

function evaluateModule(level: Level, module: Module, env: EvalEnv): void {
  const servers: ServerInfo[] = blocksNamed(level.block, 'server').map((node) => {
    const names = directivesNamed(node.block!, 'server_name').flatMap((d) =>
      d.args.map((a) => a.value),
    );
    const name = `server{}${names[0] ? ` "${names[0]}"` : ''} (${shortLocation(node.d.at, env.prefixDir)})`;
    return collectServer(
      { kind: 'server', block: node.block!, directive: node.d, parent: level, name },
      module,
    );
  });
  const table = new AddressTable(servers);
  let tlsServers = 0;
  for (const s of servers) {
    const c = buildServerContext(s, table, env);
    if (c) {
      env.contexts.push(c);
      tlsServers++;
    } else {
      const dormant = buildListenerlessContext(s, env);
      if (dormant) env.contexts.push(dormant);
    }
    if (module === 'mail') continue; // mail proxies to its backends in plain text
    if (module === 'stream') {
      for (const d of directivesNamed(s.level.block, 'proxy_pass')) {
        const client = buildClientContext({ pass: d, level: s.level, module }, env);
        if (client) env.contexts.push(client);
      }
    } else {
      walkLocations(s.level, env);
    }
  }
  if (tlsServers === 0 && !level.implied) buildLatentModuleContext(level, env);
}

const NESTED: Record<string, LevelKind> = {
  location: 'location',
  if: 'if',
  limit_except: 'limit_except',
};

/** Every location (nested, and `if` inside them) of a server, looking for TLS upstream passes. */
function walkLocations(level: Level, env: EvalEnv): void {
  for (const node of level.block.nodes) {
    if (!node.block) {
      if (node.d.name in PASSES && level.kind !== 'server') {
        const site: ClientSite = { pass: node.d, level, module: 'http' };
        const client = buildClientContext(site, env);
        if (client) env.contexts.push(client);
      }
      continue;
    }
    const kind = NESTED[node.d.name];
    if (!kind) continue;
    const label = `${node.d.name} ${node.d.args.map((a) => a.raw).join(' ')}`.trim();
    walkLocations(
      {
        kind,
        block: node.block,
        directive: node.d,
        parent: level,
        name: `${label} (${shortLocation(node.d.at, env.prefixDir)})`,
      },
      env,
    );
  }
}
