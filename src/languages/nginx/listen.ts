/**
 * `listen` parsing and nginx's virtual-server rules: servers that listen on the same
 * address:port share one TLS listener whose protocol versions come from the default server
 * (the one marked `default_server`, else the first) — OpenSSL fixes them before SNI picks a
 * server (nginx docs, server_names.xml §virtual_server_selection).
 */
import type { Directive } from './parser.js';

export interface Listen {
  d: Directive;
  /** Grouping key: `*:443`, `127.0.0.1:443`, `[::]:443`, `unix:/run/x.sock`. */
  key: string;
  host?: string;
  port?: number;
  ssl: boolean;
  quic: boolean;
  isDefault: boolean;
}

/** Parses one `listen`; `defaultPort` is 80 for http (stream has no default). */
export function parseListen(d: Directive, defaultPort: number | undefined): Listen | undefined {
  const first = d.args[0]?.value;
  if (!first) return undefined;
  const params = new Set(d.args.slice(1).map((a) => a.value));
  const flags = {
    ssl: params.has('ssl'),
    quic: params.has('quic'),
    isDefault: params.has('default_server') || params.has('default'),
  };
  // A unix socket, or an address a template fills in (`listen ${NGINX_PORT} ssl`, `listen {{ port }} ssl`): no host or port to name.
  if (first.startsWith('unix:') || first.includes('$') || d.args[0]!.placeholder)
    return { d, key: first, ...flags };
  let host: string | undefined;
  let port: number | undefined;
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(first);
  if (v6) {
    host = v6[1];
    port = v6[2] ? Number(v6[2]) : defaultPort;
    const key = `[${host!}]:${port ?? '?'}`;
    // `[::]` is the IPv6 wildcard: no single host to probe.
    return {
      d,
      key,
      ...(host !== '::' && { host }),
      ...(port !== undefined && { port }),
      ...flags,
    };
  }
  if (/^\d+$/.test(first)) {
    port = Number(first);
  } else {
    const m = /^(.*):(\d+)$/.exec(first);
    if (m) {
      host = m[1];
      port = Number(m[2]);
    } else {
      host = first;
      port = defaultPort;
    }
  }
  const wildcard = host === undefined || host === '*' || host === '0.0.0.0';
  const key = `${wildcard ? '*' : host!}:${port ?? '?'}`;
  return { d, key, ...(wildcard ? {} : { host }), ...(port !== undefined && { port }), ...flags };
}
