/**
 * The endpoints confirm mode probes: the addresses the linted configs name for their servers
 * (nginx `listen` with `server_name` as SNI, Envoy listeners, Node `listen(port)`), or the
 * addresses the user maps with `--endpoint <name>=<host:port>`. Nothing else is ever contacted.
 */
import net from 'node:net';
import path from 'node:path';
import { UsageError } from '../config/targets.js';
import type { TlsContext } from '../model/context.js';
import type { SourceRange } from '../model/location.js';
import { endpointLabel, parseEndpoint, TargetSyntaxError } from '../probe/target.js';

/** A wildcard or port-only listen is reached on the loopback address of this machine. */
const WILDCARD_HOST = '127.0.0.1';

/** `--endpoint <name>=<host:port>`: a server name or a `file:line` mapped to another address. */
export interface EndpointMapping {
  spec: string;
  /** A server name (matched against the config's SNI name), or `file:line`. */
  name: string;
  host: string;
  port: number;
}

export interface ConfirmEndpoint {
  /** `host:port` (IPv6 in brackets). */
  label: string;
  host: string;
  port: number;
  sni?: string;
  /** Where the address comes from: the `listen`, else the server block. */
  source: SourceRange;
  /** The `--endpoint` that set the address, when the user gave it. */
  mappedBy?: string;
  /** Contexts served at this endpoint. */
  contextIds: string[];
}

/** Why a context has no endpoint to probe. */
export interface NoEndpoint {
  reason: string;
}

export function parseEndpointMapping(spec: string): EndpointMapping {
  const eq = spec.lastIndexOf('=');
  if (eq <= 0 || eq === spec.length - 1)
    throw new UsageError(`--endpoint "${spec}": expected <server name or file:line>=<host:port>`);
  const name = spec.slice(0, eq).trim();
  let address;
  try {
    address = parseEndpoint(spec.slice(eq + 1));
  } catch (e) {
    if (e instanceof TargetSyntaxError) throw new UsageError(`--endpoint "${spec}": ${e.message}`);
    throw e;
  }
  if (!/:\d+$/.test(spec.slice(eq + 1).trim()))
    throw new UsageError(`--endpoint "${spec}": give the port (host:port)`);
  return { spec, name, host: address.host, port: address.port };
}

/** Whether `name` (`conf/site.conf:12`) points into the context: its file, a line of its block or its listen. */
function matchesFileLine(name: string, context: TlsContext, cwd: string): boolean {
  const m = /^(.+):(\d+)$/.exec(name);
  if (!m) return false;
  const file = path.resolve(cwd, m[1]!);
  const line = Number(m[2]);
  if (file !== context.at.file) return false;
  const listen = context.target?.at;
  return (
    (line >= context.at.line && line <= context.at.endLine) ||
    (listen !== undefined && listen.line === line)
  );
}

function mappingFor(
  context: TlsContext,
  mappings: readonly EndpointMapping[],
  cwd: string,
): EndpointMapping | undefined {
  return (
    mappings.find((m) => matchesFileLine(m.name, context, cwd)) ??
    mappings.find(
      (m) =>
        context.target?.sni !== undefined &&
        m.name.toLowerCase() === context.target.sni.toLowerCase(),
    )
  );
}

/**
 * The endpoint of every server context, keyed by context id, and the distinct endpoints (one
 * per address and SNI name, probed once however many findings share it).
 */
export function endpointsOf(
  contexts: readonly TlsContext[],
  mappings: readonly EndpointMapping[],
  cwd: string,
): { endpoints: ConfirmEndpoint[]; byContext: Map<string, ConfirmEndpoint | NoEndpoint> } {
  const endpoints = new Map<string, ConfirmEndpoint>();
  const byContext = new Map<string, ConfirmEndpoint | NoEndpoint>();
  for (const context of contexts) {
    if (context.role === 'client') {
      byContext.set(context.id, {
        reason: `${context.label} is a TLS client: what it checks of its peer is not visible from outside`,
      });
      continue;
    }
    const mapping = mappingFor(context, mappings, cwd);
    const target = context.target;
    let host: string;
    let port: number;
    if (mapping) {
      host = mapping.host;
      port = mapping.port;
    } else if (target?.port !== undefined) {
      host =
        target.host === undefined ||
        target.host === '*' ||
        target.host === '0.0.0.0' ||
        target.host === '::'
          ? WILDCARD_HOST
          : target.host;
      port = target.port;
    } else {
      byContext.set(context.id, {
        reason: `the configuration of ${context.label} names no address to probe (no listen with a literal port); give one with --endpoint <server name or file:line>=<host:port>`,
      });
      continue;
    }
    // SNI carries host names only; the name the config serves, else a mapped name that is one.
    const nameFromMapping =
      mapping && !/:\d+$/.test(mapping.name) && !net.isIP(mapping.name) ? mapping.name : undefined;
    const sni = target?.sni ?? nameFromMapping;
    const label = endpointLabel({ host, port });
    const key = `${label}\0${sni ?? ''}`;
    let endpoint = endpoints.get(key);
    if (!endpoint) {
      endpoint = {
        label,
        host,
        port,
        ...(sni !== undefined && { sni }),
        source: target?.at ?? context.enabledAt ?? context.at,
        ...(mapping && { mappedBy: mapping.spec }),
        contextIds: [],
      };
      endpoints.set(key, endpoint);
    }
    endpoint.contextIds.push(context.id);
    byContext.set(context.id, endpoint);
  }
  return { endpoints: [...endpoints.values()], byContext };
}

export function isEndpoint(e: ConfirmEndpoint | NoEndpoint | undefined): e is ConfirmEndpoint {
  return e !== undefined && 'label' in e;
}
