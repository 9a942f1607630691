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
 * - an absolute path under a well-known nginx prefix (`/etc/nginx/…`) that does not exist is
 *   looked up under the main config's directory too (`/etc/nginx/conf.d/*.conf` →
 *   `<dir of nginx.conf>/conf.d/*.conf`);
 * - for a lone fragment (no `http{}`/`events{}`: a site file or snippet linted on its own) the
 *   prefix is unknown, so relative paths are also tried against the fragment's directory and
 *   its parents (a Debian `sites-enabled/x` that includes `snippets/ssl.conf`).
 *
 * What cannot be read is kept as an {@link UnresolvedInclude} on its block: settings it could
 * have made there become "unknown", never "insecure".
 */
import path from 'node:path';
import type { LintError } from '../../model/finding.js';
import type { SourceRange } from '../../model/location.js';
import { globFiles, hasGlobMagic } from './glob.js';
import { parseNginx, type Directive, type ParseResult } from './parser.js';

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
}

/** Absolute prefixes under which packaged nginx keeps its configuration. */
const KNOWN_CONF_PREFIXES = ['/etc/nginx/', '/usr/local/nginx/conf/', '/usr/local/etc/nginx/', '/opt/homebrew/etc/nginx/', '/usr/local/openresty/nginx/conf/', '/etc/openresty/'];

/** The config lives where a packaged nginx reads it: it is installed on this machine. */
export function isInstalledPrefix(prefixDir: string): boolean {
  const dir = `${prefixDir.replace(/\/+$/, '')}/`;
  return KNOWN_CONF_PREFIXES.some((prefix) => dir.startsWith(prefix));
}

/** Files nginx packages ship next to nginx.conf; a repository rarely carries them. */
const STOCK_FILES = new Set(['mime.types', 'fastcgi_params', 'fastcgi.conf', 'scgi_params', 'uwsgi_params', 'proxy_params', 'koi-utf', 'koi-win', 'win-utf', 'fastcgi-php.conf', 'snakeoil.conf']);

export interface ExpandOptions {
  /** The configuration prefix: directory of the main config (or of the fragment). */
  prefixDir: string;
  /** The root is a main config, so nginx's prefix rule is definitive. */
  rootIsMain: boolean;
}

/** Parses files once per run and expands includes. */
export class ConfigLoader {
  private readonly parses = new Map<string, ParseResult | undefined>();
  private readonly reported = new Set<string>();
  readonly errors: LintError[] = [];

  constructor(private readonly readText: (p: string) => string | undefined) {}

  /** The parse of a file (cached); undefined when it cannot be read. */
  parse(file: string, text?: string): ParseResult | undefined {
    if (this.parses.has(file)) return this.parses.get(file);
    const source = text ?? this.readText(file);
    const result = source === undefined ? undefined : parseNginx(source, file);
    this.parses.set(file, result);
    if (result?.error) this.error({ file, message: result.error.message, line: result.error.line, column: result.error.column });
    return result;
  }

  error(e: LintError): void {
    const key = `${e.file}\0${e.line ?? 0}\0${e.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.errors.push(e);
  }

  /**
   * Expands a file's directives with its includes. `used` collects every file read for this
   * root (so that fragments included by a main config are not linted twice).
   */
  expandFile(file: string, options: ExpandOptions, used: Set<string>, stack: string[] = []): ConfBlock | undefined {
    const parsed = this.parse(file);
    if (!parsed || parsed.error) return undefined;
    used.add(file);
    return this.expandList(parsed.directives, options, used, [...stack, file]);
  }

  private expandList(directives: readonly Directive[], options: ExpandOptions, used: Set<string>, stack: string[]): ConfBlock {
    const block: ConfBlock = { nodes: [], unresolved: [] };
    for (const d of directives) {
      if (d.name === 'include' && !d.block && d.args.length === 1) {
        this.include(d, block, options, used, stack);
        continue;
      }
      block.nodes.push(d.block && !d.rawBlock ? { d, block: this.expandList(d.block, options, used, stack) } : { d });
    }
    return block;
  }

  private include(d: Directive, block: ConfBlock, options: ExpandOptions, used: Set<string>, stack: string[]): void {
    const written = d.args[0]!.value;
    const unresolved = (reason: string): void => {
      block.unresolved.push({ at: d.at, written, reason });
    };
    if (written.includes('$')) {
      unresolved('the path contains a variable');
      return;
    }
    const glob = hasGlobMagic(written);
    let files: string[] | undefined;
    for (const candidate of candidatePaths(written, d.file, options)) {
      const found = glob ? globFiles(candidate) : this.readText(candidate) !== undefined ? [candidate] : [];
      if (found.length > 0) {
        files = found;
        break;
      }
    }
    if (!files) {
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
          message: `include "${written}": no such file (relative includes are resolved against ${options.prefixDir}); what it would set is treated as unknown`,
        });
      }
      return;
    }
    for (const file of files) {
      if (stack.includes(file)) {
        const cycle = [...stack.slice(stack.indexOf(file)), file].map((f) => path.basename(f)).join(' → ');
        this.error({ file: d.file, line: d.at.line, column: d.at.column, message: `include cycle: ${cycle}` });
        unresolved('it is part of an include cycle');
        continue;
      }
      const inner = this.expandFile(file, options, used, stack);
      if (!inner) {
        unresolved(this.parses.get(file)?.error ? `"${path.basename(file)}" has a syntax error` : 'the file could not be read');
        continue;
      }
      block.nodes.push(...inner.nodes);
      block.unresolved.push(...inner.unresolved);
    }
  }
}

/** Where nginx (or a checked-out tree) would find an include, in order of preference. */
export function candidatePaths(written: string, includingFile: string, options: ExpandOptions): string[] {
  const out: string[] = [];
  if (path.isAbsolute(written)) {
    out.push(written);
    for (const prefix of KNOWN_CONF_PREFIXES) {
      if (written.startsWith(prefix)) out.push(path.join(options.prefixDir, written.slice(prefix.length)));
    }
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
