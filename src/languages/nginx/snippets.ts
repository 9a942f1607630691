/**
 * A fragment with no `server{}` of its own (an h5bp/certbot-style TLS policy snippet, or a
 * server body meant to be included): its TLS directives are judged as the settings of the
 * server that includes it. Whatever it does not set is unknown (the including server may set
 * it), never the nginx default.
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import { argsText, serverNames, type Level } from './levels.js';
import type { Directive } from './parser.js';
import { PASSES, UPSTREAM_PREFIXES, buildClientContext } from './clients.js';
import {
  AddressTable,
  buildServerContext,
  collectServer,
  type EvalEnv,
  type ServerInfo,
} from './servers.js';

const SERVER_TLS = /^ssl(_|$)/;

export function buildSnippetContexts(top: Level, env: EvalEnv): void {
  const own = top.block.nodes.filter((n) => !n.block).map((n) => n.d);
  buildUpstreamSnippets(top, own, env);
  const hasTls = own.some(
    (d) =>
      SERVER_TLS.test(d.name) ||
      (d.name === 'listen' && d.args.some((a) => a.value === 'ssl' || a.value === 'quic')),
  );
  if (!hasTls || own.length === 0) return;
  const first = own[0]!;
  const last = top.block.nodes[top.block.nodes.length - 1]!.d;
  const file = path.basename(top.implied ?? first.file);
  // A stand-in for the server{} directive the snippet will be pasted into.
  const whole: Directive = {
    name: 'server',
    args: [],
    at: {
      file: first.file,
      line: first.at.line,
      column: first.at.column,
      endLine: last.at.endLine,
      endColumn: last.at.endColumn,
    },
    nameAt: first.nameAt,
    file: first.file,
  };
  const level: Level = { ...top, directive: whole };
  const info = collectServer(level, 'http');
  const assumed = {
    label: `snippet "${file}" (TLS settings for the server{} that includes it)`,
    recognition: 'known-api' as const,
  };
  const ctx = buildServerContext({ ...info, assumed }, new AddressTable([info]), env);
  if (ctx) env.contexts.push(ctx);
}

/**
 * `proxy_ssl_verify off;` in a snippet with no `proxy_pass` of its own: judged as the settings of
 * the TLS upstream the including location proxies to.
 */
function buildUpstreamSnippets(top: Level, own: Directive[], env: EvalEnv): void {
  if (
    own.some((d) => d.name in PASSES) ||
    top.block.nodes.some((n) => n.block && n.d.name === 'location')
  )
    return;
  const file = path.basename(top.implied ?? own[0]?.file ?? '');
  for (const prefix of UPSTREAM_PREFIXES) {
    const first = own.find((d) => d.name.startsWith(`${prefix}_ssl_`));
    if (!first) continue;
    const ctx = buildClientContext({ pass: first, level: top, module: 'http' }, env, {
      file,
      prefix,
    });
    if (ctx) env.contexts.push(ctx);
  }
}

/**
 * A server{} with `ssl_*` directives of its own but no TLS listener (no `listen … ssl`, no
 * `ssl on`, no `listen … quic`, no address another server made TLS): nginx never uses them, or
 * the `ssl` flag is missing from its `listen`. What the directives say is judged (nothing else:
 * the level is implied, so unset values are unknown, not defaults), and the context says TLS is
 * not enabled, which lowers its findings one step. A listen or include a template fills in, or
 * an include that cannot be read, may hold the switch: then nothing is said.
 */
export function buildListenerlessContext(info: ServerInfo, env: EvalEnv): TlsContext | undefined {
  if (info.module === 'mail' || !info.level.directive) return undefined;
  const own = info.level.block.nodes
    .filter((n) => !n.block && SERVER_TLS.test(n.d.name) && n.d.name !== 'ssl')
    .map((n) => n.d);
  if (own.length === 0 || info.level.block.unresolved.length > 0) return undefined;
  if (info.listens.some((l) => l.d.args.some((a) => a.placeholder))) return undefined;
  const listen = info.listens[0];
  const written = listen ? `"listen ${argsText(listen.d)}"` : 'its listen';
  const reason = `this server{} has no TLS listener ("listen … ssl", "ssl on" or "listen … quic"): the setting is dead, or the "ssl" flag is missing from ${written}`;
  const names = serverNames(info.level);
  const level: Level = {
    ...info.level,
    implied: info.level.directive.file,
    impliedReason: 'not set in this server{}, which has no TLS listener',
  };
  const assumed = {
    label: `server{}${names[0] ? ` "${names[0]}"` : ''} without a TLS listener`,
    recognition: 'known-api' as const,
  };
  const ctx = buildServerContext({ ...info, level, assumed }, new AddressTable([]), env);
  if (!ctx) return undefined;
  ctx.tlsNotEnabled = { reason };
  return ctx;
}

/**
 * http{}/stream{} TLS settings of a main config where no server{} serves TLS yet (Debian's
 * stock nginx.conf sets "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3" in http{}): every TLS
 * server added later inherits them, so what is written there is judged. Lower precision: no
 * endpoint uses them today.
 */
export function buildLatentModuleContext(level: Level, env: EvalEnv): void {
  const own = level.block.nodes
    .filter((n) => !n.block && SERVER_TLS.test(n.d.name))
    .map((n) => n.d);
  if (own.length === 0 || !level.directive) return;
  const latent: Level = {
    ...level,
    implied: level.directive.file,
    impliedReason: `not set in ${level.name}, and no TLS server{} exists to set it`,
  };
  const info = collectServer(
    latent,
    level.kind === 'stream' || level.kind === 'mail' ? level.kind : 'http',
  );
  const assumed = {
    label: `${level.name} (TLS settings every TLS server{} added here inherits; none serves TLS yet)`,
    recognition: 'heuristic' as const,
  };
  const ctx = buildServerContext({ ...info, assumed }, new AddressTable([]), env);
  if (ctx) env.contexts.push(ctx);
}
