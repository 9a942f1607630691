/**
 * A fragment with no `server{}` of its own (an h5bp/certbot-style TLS policy snippet, or a
 * server body meant to be included): its TLS directives are judged as the settings of the
 * server that includes it. Whatever it does not set is unknown (the including server may set
 * it), never the nginx default.
 */
import path from 'node:path';
import type { Level } from './levels.js';
import type { Directive } from './parser.js';
import { PASSES, UPSTREAM_PREFIXES, buildClientContext } from './clients.js';
import { AddressTable, buildServerContext, collectServer, type EvalEnv } from './servers.js';

const SERVER_TLS = /^ssl(_|$)/;

export function buildSnippetContexts(top: Level, env: EvalEnv): void {
  const own = top.block.nodes.filter((n) => !n.block).map((n) => n.d);
  buildUpstreamSnippets(top, own, env);
  const hasTls = own.some((d) => SERVER_TLS.test(d.name) || (d.name === 'listen' && d.args.some((a) => a.value === 'ssl' || a.value === 'quic')));
  if (!hasTls || own.length === 0) return;
  const first = own[0]!;
  const last = top.block.nodes[top.block.nodes.length - 1]!.d;
  const file = path.basename(top.implied ?? first.file);
  // A stand-in for the server{} directive the snippet will be pasted into.
  const whole: Directive = {
    name: 'server',
    args: [],
    at: { file: first.file, line: first.at.line, column: first.at.column, endLine: last.at.endLine, endColumn: last.at.endColumn },
    nameAt: first.nameAt,
    file: first.file,
  };
  const level: Level = { ...top, directive: whole };
  const info = collectServer(level, 'http');
  const assumed = { label: `snippet "${file}" (TLS settings for the server{} that includes it)`, recognition: 'known-api' as const };
  const ctx = buildServerContext({ ...info, assumed }, new AddressTable([info]), env);
  if (ctx) env.contexts.push(ctx);
}

/**
 * `proxy_ssl_verify off;` in a snippet with no `proxy_pass` of its own: judged as the settings of
 * the TLS upstream the including location proxies to.
 */
function buildUpstreamSnippets(top: Level, own: Directive[], env: EvalEnv): void {
  if (own.some((d) => d.name in PASSES) || top.block.nodes.some((n) => n.block && n.d.name === 'location')) return;
  const file = path.basename(top.implied ?? own[0]?.file ?? '');
  for (const prefix of UPSTREAM_PREFIXES) {
    const first = own.find((d) => d.name.startsWith(`${prefix}_ssl_`));
    if (!first) continue;
    const ctx = buildClientContext({ pass: first, level: top, module: 'http' }, env, { file, prefix });
    if (ctx) env.contexts.push(ctx);
  }
}

/**
 * http{}/stream{} TLS settings of a main config where no server{} serves TLS yet (Debian's
 * stock nginx.conf sets "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3" in http{}): every TLS
 * server added later inherits them, so what is written there is judged. Lower precision: no
 * endpoint uses them today.
 */
export function buildLatentModuleContext(level: Level, env: EvalEnv): void {
  const own = level.block.nodes.filter((n) => !n.block && SERVER_TLS.test(n.d.name)).map((n) => n.d);
  if (own.length === 0 || !level.directive) return;
  const latent: Level = { ...level, implied: level.directive.file, impliedReason: `not set in ${level.name}, and no TLS server{} exists to set it` };
  const info = collectServer(latent, level.kind === 'stream' || level.kind === 'mail' ? level.kind : 'http');
  const assumed = { label: `${level.name} (TLS settings every TLS server{} added here inherits; none serves TLS yet)`, recognition: 'heuristic' as const };
  const ctx = buildServerContext({ ...info, assumed }, new AddressTable([]), env);
  if (ctx) env.contexts.push(ctx);
}
