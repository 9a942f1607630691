/**
 * `include` resolution, as nginx does it (`ngx_conf_include`):
 *
 * - the included text is parsed in place, in the current block;
 * - a relative path is resolved against the configuration prefix (the directory of the main
 *   nginx.conf), not against the including file;
 * - a path with `*`, `?` or `[` is a glob; matches are read in sorted order and an empty match
 *   is fine; a missing plain path is an error.
 *
 * Two departures, because a repository is not /etc/nginx:
 * - for a config that is not installed (its directory is not /etc/nginx or another packaged
 *   prefix), an absolute path under a well-known nginx prefix is looked up under the main
 *   config's directory (`/etc/nginx/conf.d/*.conf` → `<dir of nginx.conf>/conf.d/*.conf`), and
 *   other system paths (`/etc/letsencrypt/…`) of this machine are not read: they belong to
 *   whatever is installed here, not to the host the tree is deployed to;
 * - for a lone fragment (no `http{}`/`events{}`: a site file or snippet linted on its own) the
 *   prefix is unknown, so relative paths are also tried against the fragment's directory and
 *   its parents (a Debian `sites-enabled/x` that includes `snippets/ssl.conf`).
 *
 * What cannot be read is kept as an {@link UnresolvedInclude} on its block: settings it could
 * have made there become "unknown", never "insecure".
 *
 * Bounded work on any input: every file is parsed once per run (the parse cache can be shared
 * between loaders); an include cycle (nginx would recurse until it runs out of files) ends the
 * expansion of that configuration at once, with one "include cycle" error per cycle; block
 * depth counts through includes, and the number of included files and expanded directives per
 * configuration has a budget. Files are read only through the run's safe door (`ReadOutcome`):
 * an include of a FIFO, a device or a file over the size cap is an error, one outside the linted
 * tree is "not followed" (a notice), and nothing of such a file is ever read.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import {
  describeReadFailure,
  readFailureKind,
  type ReadOutcome,
} from '../../engine/source-cache.js';
import type { LintError, LintErrorKind, LintNotice } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';
import { globFiles, hasGlobMagic } from './glob.js';
import { MAX_BLOCK_DEPTH, parseNginx, type Directive, type ParseResult } from './parser.js';
import { describeTemplate } from './template.js';

export interface ConfNode {
  d: Directive;
  /** The expanded body of a block directive. */
  block?: ConfBlock;
}

export interface ConfBlock {
  nodes: ConfNode[];
  /** Includes in this block whose content could not be read. */
  unresolved: UnresolvedInclude[];
}

export interface UnresolvedInclude {
  at: SourceRange;
  written: string;
  reason: string;
  /** Text a template inserts when it is rendered (`{% include "ssl.conf" %}`). */
  template?: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Absolute prefixes under which packaged nginx keeps its configuration. */
const KNOWN_CONF_PREFIXES = [
  '/etc/nginx/',
  '/usr/local/nginx/conf/',
  '/usr/local/etc/nginx/',
  '/opt/homebrew/etc/nginx/',
  '/usr/local/openresty/nginx/conf/',
  '/etc/openresty/',
];

/** The config lives where a packaged nginx reads it: it is installed on this machine. */
export function isInstalledPrefix(prefixDir: string): boolean {
  const dir = `${prefixDir.replace(/\/+$/, '')}/`;
  return KNOWN_CONF_PREFIXES.some((prefix) => dir.startsWith(prefix));
}

/** Folders of an installed system; a config checked out elsewhere does not own their files. */
const SYSTEM_DIRS = ['/etc/', '/usr/', '/var/', '/opt/', '/srv/', '/run/', '/root/', '/snap/'];

export const isSystemPath = (p: string): boolean => SYSTEM_DIRS.some((dir) => p.startsWith(dir));

/** Files nginx packages ship next to nginx.conf; a repository rarely carries them. */
const STOCK_FILES = new Set([
  'mime.types',
  'fastcgi_params',
  'fastcgi.conf',
  'scgi_params',
  'uwsgi_params',
  'proxy_params',
  'koi-utf',
  'koi-win',
  'win-utf',
  'fastcgi-php.conf',
  'snakeoil.conf',
]);

/** Included files one configuration may expand (each include site counts). */
const MAX_INCLUDED_FILES = 5000;
/** Directives one configuration may expand to, includes counted where they land. */
export const MAX_EXPANDED_DIRECTIVES = 250_000;
/** Includes nested in includes (nginx has no limit but open files; real trees nest a few). */
export const MAX_INCLUDE_DEPTH = 50;

/** Files parsed in this run, shared by the loaders of one run. */
export type ParseCache = Map<string, ParseResult | undefined>;

/** Stops the expansion of one configuration: the error says why. */
class ExpansionStopped extends Error {}

interface Budget {
  files: number;
  directives: number;
}

export interface ExpandOptions {
  /** The configuration prefix: directory of the main config (or of the fragment). */
  prefixDir: string;
  /** The root is a main config, so nginx's prefix rule is definitive. */
  rootIsMain: boolean;
}

/** Parses files once per run and expands includes. */
export class ConfigLoader {
  private readonly reported = new Set<string>();
  private readonly cycles = new Set<string>();
  private readonly stopped = new Set<LintErrorKind>();
  readonly errors: LintError[] = [];
  readonly notices: LintNotice[] = [];
  private budget: Budget | undefined;

  constructor(
    /** The run's safe read (ReadContext.readFile). */
    private readonly read: (p: string) => ReadOutcome,
    /** Raw bytes, to see what text decoding hides (a byte order mark). */
    private readonly readBytes?: (p: string) => Buffer | undefined,
    private readonly parses: ParseCache = new Map(),
  ) {}

  private readText(file: string): string | undefined {
    const r = this.read(file);
    return r.ok ? r.text : undefined;
  }

  /** The parse of a file (cached); undefined when it cannot be read. */
  parse(file: string, text?: string): ParseResult | undefined {
    if (this.parses.has(file)) {
      const cached = this.parses.get(file);
      this.reportParse(file, cached);
      return cached;
    }
    const source = text ?? this.readText(file);
    const result = source === undefined ? undefined : parseNginx(source, file);
    this.parses.set(file, result);
    this.reportParse(file, result);
    return result;
  }

  private reportParse(file: string, result: ParseResult | undefined): void {
    if (result?.error) {
      const inTemplate = result.template
        ? ` (the file is a ${result.template.engines.join('/')} template: render it and lint the result)`
        : '';
      this.error({
        file,
        kind: result.error.kind ?? 'syntax',
        message: result.error.message + inTemplate,
        line: result.error.line,
        column: result.error.column,
      });
    } else if (result?.template) {
      this.notice({ file, message: describeTemplate(result.template) });
    }
    if (result && this.readBytes?.(file)?.subarray(0, 3).equals(UTF8_BOM)) {
      // The text we parse has the mark removed; nginx does not remove it.
      this.error({
        file,
        line: 1,
        column: 1,
        kind: 'refused',
        message:
          'nginx would refuse this configuration: the file starts with a UTF-8 byte order mark, which nginx reads as part of the first directive name ("unknown directive"); save the file without the BOM',
      });
    }
  }

  /** The file a symlinked include really is, when it can be read; else the link itself. */
  private linkTarget(file: string, options: ExpandOptions): string {
    const target = followLinks(file, options);
    return target !== file && this.readText(target) !== undefined ? target : file;
  }

  error(e: LintError): void {
    const key = `${e.file}\0${e.line ?? 0}\0${e.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.errors.push(e);
  }

  private notice(n: LintNotice): void {
    const key = `notice\0${n.file}\0${n.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.notices.push(n);
  }

  /**
   * Ends the expansion of the current configuration, with the error that says why: once per
   * kind, since every file of a tree that is also expanded on its own runs into the same wall.
   */
  private stop(d: Directive, kind: LintErrorKind, message: string): never {
    if (!this.stopped.has(kind)) {
      this.stopped.add(kind);
      this.error({ file: d.file, line: d.at.line, column: d.at.column, kind, message });
    }
    throw new ExpansionStopped(message);
  }

  /**
   * Expands a file's directives with its includes. `used` collects every file read for this
   * root (so that fragments included by a main config are not linted twice). Undefined when the
   * file cannot be read or parsed, or its expansion was stopped (an include cycle, nesting too
   * deep, over the budget): the error says which.
   */
  expandFile(file: string, options: ExpandOptions, used: Set<string>): ConfBlock | undefined {
    const outer = this.budget;
    this.budget = { files: 0, directives: 0 };
    try {
      return this.expandInner(file, options, used, [], 0);
    } catch (e) {
      if (e instanceof ExpansionStopped) return undefined;
      throw e;
    } finally {
      this.budget = outer;
    }
  }

  private expandInner(
    file: string,
    options: ExpandOptions,
    used: Set<string>,
    stack: string[],
    depth: number,
  ): ConfBlock | undefined {
    const parsed = this.parse(file);
    if (!parsed) return undefined;
    used.add(file);
    if (parsed.error) return undefined;
    return this.expandList(parsed.directives, options, used, [...stack, file], depth);
  }

  private expandList(
    directives: readonly Directive[],
    options: ExpandOptions,
    used: Set<string>,
    stack: string[],
    depth: number,
  ): ConfBlock {
    const block: ConfBlock = { nodes: [], unresolved: [] };
    const budget = this.budget!;
    for (const d of directives) {
      if (++budget.directives > MAX_EXPANDED_DIRECTIVES) {
        this.stop(
          d,
          'budget',
          `includes expand this configuration to more than ${MAX_EXPANDED_DIRECTIVES} directives; tls-lint stops there, so it was not checked`,
        );
      }
      if (d.name === 'include' && !d.block && d.args.length === 1) {
        this.include(d, block, options, used, stack, depth);
        continue;
      }
      if (d.block && !d.rawBlock && depth + 1 > MAX_BLOCK_DEPTH) {
        this.stop(
          d,
          'too-deep',
          `too deeply nested to analyse (depth ${depth + 1} through includes; the limit is ${MAX_BLOCK_DEPTH}); this configuration was not checked`,
        );
      }
      block.nodes.push(
        d.block && !d.rawBlock
          ? { d, block: this.expandList(d.block, options, used, stack, depth + 1) }
          : { d },
      );
    }
    return block;
  }

  private include(
    d: Directive,
    block: ConfBlock,
    options: ExpandOptions,
    used: Set<string>,
    stack: string[],
    depth: number,
  ): void {
    const written = d.args[0]!.value;
    const unresolved = (reason: string): void => {
      block.unresolved.push({ at: d.at, written, reason });
    };
    if (d.args[0]!.placeholder) {
      block.unresolved.push({
        at: d.at,
        written,
        reason: 'the template inserts text there when it is rendered',
        template: true,
      });
      return;
    }
    if (written.includes('$')) {
      unresolved('the path contains a variable');
      return;
    }
    const glob = hasGlobMagic(written);
    let files: string[] | undefined;
    let outside: string | undefined;
    let refused = false;
    const candidates = candidatePaths(written, d.file, options);
    for (const candidate of candidates) {
      // A dangling link that does not point into the tree either matches nothing here.
      const found: string[] = [];
      for (const match of glob ? globFiles(candidate) : [candidate]) {
        const file = this.linkTarget(match, options);
        const r = this.read(file);
        if (r.ok) {
          found.push(file);
          continue;
        }
        if (r.reason === 'outside') {
          outside ??= file;
          unresolved('it is outside the linted tree (not followed)');
          this.notice({
            file: d.file,
            message: `include "${written}" (line ${d.at.line}) not followed: outside the linted tree; what it would set is unknown (--follow-outside reads it)`,
          });
        } else if (r.reason !== 'missing') {
          // A FIFO, a device, a folder, an over-size or unreadable file: never read, always said.
          const reason = describeReadFailure(r);
          refused = true;
          unresolved(`"${path.basename(file)}" is ${reason}`);
          this.error({
            file: d.file,
            line: d.at.line,
            column: d.at.column,
            kind: readFailureKind(r.reason)!,
            message: `include "${written}": ${reason}; what it would set is unknown`,
          });
        }
      }
      if (found.length > 0) {
        files = found;
        break;
      }
    }
    if (!files && refused) return;
    if (!files) {
      const systemPath = path.isAbsolute(written) && candidates.length === 0;
      if (outside !== undefined) return;
      if (systemPath && !STOCK_FILES.has(path.basename(written))) {
        unresolved('it is outside the linted tree (not followed)');
        this.notice({
          file: d.file,
          message: `include "${written}" (line ${d.at.line}) not followed: outside the linted tree; what it would set is unknown (--follow-outside reads it)`,
        });
        return;
      }
      if (glob) {
        // An empty relative glob in a main config matches nothing on the server either; an
        // absolute one probably matches files that are not in this tree.
        if (path.isAbsolute(written) || !options.rootIsMain) unresolved('it matches no file here');
        return;
      }
      // The stock files nginx ships (mime.types, fastcgi_params…) set no TLS directives.
      if (STOCK_FILES.has(path.basename(written))) return;
      unresolved('the file was not found');
      if (options.rootIsMain && !path.isAbsolute(written)) {
        this.error({
          file: d.file,
          line: d.at.line,
          column: d.at.column,
          kind: 'missing',
          message: `include "${written}": no such file (relative includes are resolved against ${options.prefixDir}); what it would set is unknown`,
        });
      }
      return;
    }
    if (stack.length >= MAX_INCLUDE_DEPTH) {
      this.stop(
        d,
        'too-deep',
        `too deeply nested to analyse (includes ${stack.length} deep; the limit is ${MAX_INCLUDE_DEPTH}); this configuration was not checked`,
      );
    }
    for (const file of files) {
      if (stack.includes(file)) {
        // nginx would include these files in each other until it runs out of files: it cannot
        // load this configuration. Stop at once (glob webs would otherwise multiply), and say
        // each cycle once however many roots run into it.
        const loop = stack.slice(stack.indexOf(file));
        const key = [...new Set(loop)].sort().join('\0');
        const cycle = [...loop, file].map((f) => path.basename(f)).join(' → ');
        if (this.cycles.has(key)) throw new ExpansionStopped(cycle);
        this.cycles.add(key);
        this.stop(
          d,
          'include-cycle',
          `include cycle: ${cycle}; nginx cannot load this configuration, so it was not checked`,
        );
      }
      if (++this.budget!.files > MAX_INCLUDED_FILES) {
        this.stop(
          d,
          'budget',
          `includes pull in more than ${MAX_INCLUDED_FILES} files for this configuration; tls-lint stops there, so it was not checked`,
        );
      }
      const inner = this.expandInner(file, options, used, stack, depth);
      if (!inner) {
        unresolved(
          this.parses.get(file)?.error
            ? `"${path.basename(file)}" has a syntax error`
            : 'the file could not be read',
        );
        continue;
      }
      block.nodes.push(...inner.nodes);
      block.unresolved.push(...inner.unresolved);
    }
  }
}

/**
 * A symbolic link is read as the file it points to (Debian's `sites-enabled/x` →
 * `../sites-available/x`), so the site is linted once, under its real name, and not a second
 * time as a fragment nobody includes. In a checked-out tree, a link to `/etc/nginx/…` points
 * into the tree, like an include would.
 */
function followLinks(file: string, options: ExpandOptions): string {
  let current = file;
  for (let hops = 0; hops < 8; hops++) {
    let target: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      target = readlinkSync(current);
    } catch {
      return current;
    }
    const resolved = path.resolve(path.dirname(current), target);
    const next = path.isAbsolute(target)
      ? candidatePaths(resolved, current, { ...options, rootIsMain: true })[0]
      : resolved;
    if (!next) return current;
    current = next;
  }
  return current;
}

/** Where nginx (or a checked-out tree) would find an include, in order of preference. */
export function candidatePaths(
  written: string,
  includingFile: string,
  options: ExpandOptions,
): string[] {
  const out: string[] = [];
  if (path.isAbsolute(written)) {
    const inTree = KNOWN_CONF_PREFIXES.filter((prefix) => written.startsWith(prefix)).map(
      (prefix) => path.join(options.prefixDir, written.slice(prefix.length)),
    );
    if (isInstalledPrefix(options.prefixDir)) out.push(written, ...inTree);
    // A checked-out tree: its own copy first. This machine's /etc/nginx (present wherever nginx
    // is installed, e.g. in CI) says nothing about the host the tree is deployed to.
    else out.push(...inTree, ...(isSystemPath(written) ? [] : [written]));
  } else {
    out.push(path.resolve(options.prefixDir, written));
    if (!options.rootIsMain) {
      let dir = path.dirname(includingFile);
      for (let i = 0; i < 4; i++) {
        out.push(path.resolve(dir, written));
        const parent = path.dirname(dir);
        if (parent === dir) break;
        dir = parent;
      }
    }
  }
  return [...new Set(out)];
}

/** A main config has main-level blocks; anything else is a fragment of one. */
export function isMainConfig(directives: readonly Directive[]): boolean {
  return directives.some((d) => d.block && ['http', 'events', 'stream', 'mail'].includes(d.name));
}
