/**
 * Finds the TLS contexts of Envoy documents and who uses them: listener filter chains
 * (DownstreamTlsContext), clusters and their `transport_socket_matches` (UpstreamTlsContext), in
 * a bootstrap (`static_resources`), an xDS resource file (`resources: [{"@type": …Listener}]`) or
 * a bare listener/cluster/transport socket; and the static secrets they may name.
 *
 * The walk follows Envoy's structure only (never every node), with a visit budget, so aliases
 * cannot multiply the work. A TLS context reached through several aliases is one `Found` with
 * several users: its findings belong to the anchored lines and are reported once.
 */
import type { Node, Scalar } from 'yaml';
import type { SourceRange } from '../../model/location.js';
import type { YDoc } from './source.js';

export type Side = 'downstream' | 'upstream';

/** A listener filter chain or a cluster (transport socket match) that uses a TLS context. */
export interface User {
  kind: 'listener' | 'cluster' | 'fragment';
  /** For messages: `listener "ingress" filter chain "api"`, `cluster "backend"`. */
  label: string;
  /** Listener address or first endpoint, for the probe. */
  host?: string;
  port?: number;
  /** Where the address is written (the listener's `socket_address`, the endpoint's). */
  addressAt?: SourceRange;
  /** `filter_chain_match.server_names` of the chain (the virtual host names). */
  serverNames: string[];
}

export interface Found {
  doc: YDoc;
  side: Side;
  /** The (Downstream|Upstream)TlsContext message; undefined for `transport_socket` without config. */
  tls: Node | undefined;
  /** The key that turns TLS on (`transport_socket`, v2 `tls_context`): findings about defaults point here. */
  enabledAt: SourceRange;
  /** The whole transport socket. */
  at: SourceRange;
  users: User[];
  /** v2 spellings met on the way: `tls_context`, `envoy.api.v2.auth.UpstreamTlsContext`, untyped `config`. */
  v2: Array<{ feature: string; detail: string; at: SourceRange }>;
}

export interface StaticSecret {
  name: string;
  doc: YDoc;
  node: Node;
  at: SourceRange;
}

export interface WalkResult {
  found: Found[];
  secrets: Map<string, StaticSecret>;
  /** The document is an Envoy config (errors in it are ours to report). */
  envoy: boolean;
  /** Documents with `dynamic_resources` only: their listeners/clusters come from a control plane. */
  dynamicOnly: boolean;
  budgetExceeded: boolean;
}

const TLS_TYPES: Record<string, { side: Side; v2: boolean }> = {
  'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext': {
    side: 'downstream',
    v2: false,
  },
  'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext': { side: 'upstream', v2: false },
  'envoy.api.v2.auth.DownstreamTlsContext': { side: 'downstream', v2: true },
  'envoy.api.v2.auth.UpstreamTlsContext': { side: 'upstream', v2: true },
};

const MAX_VISITS = 200_000;
const MAX_WRAPPER_DEPTH = 4;

/** `type.googleapis.com/envoy.config.cluster.v3.Cluster` → `envoy.config.cluster.v3.Cluster`. */
function typeName(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return url.replace(/^.*\//, '');
}

export class Walker {
  private visits = 0;
  private readonly byNode = new Map<Node, Found>();
  readonly result: WalkResult = {
    found: [],
    secrets: new Map(),
    envoy: false,
    dynamicOnly: false,
    budgetExceeded: false,
  };

  private budget(): boolean {
    if (++this.visits > MAX_VISITS) {
      this.result.budgetExceeded = true;
      return false;
    }
    return true;
  }

  /** One document: a bootstrap, an xDS resource list, or a bare Envoy object. */
  document(doc: YDoc): void {
    const root = doc.root();
    if (!root) return;
    if (!doc.isMap(root)) {
      // a bare list of listeners or clusters
      for (const item of doc.items(root)) this.resource(doc, item, undefined);
      return;
    }
    const dump = doc.get(root, 'configs');
    if (
      dump &&
      doc
        .items(dump.value)
        .some((c) => /ConfigDump$/.test(typeName(doc.text(doc.get(c, '@type')?.value)) ?? ''))
    ) {
      this.configDump(doc, doc.items(dump.value));
      return;
    }
    const statics = doc.get(root, 'static_resources');
    const dynamics = doc.get(root, 'dynamic_resources');
    if (statics || dynamics) this.result.envoy = true;
    if (statics) {
      for (const l of doc.items(doc.get(statics.value, 'listeners')?.value)) this.listener(doc, l);
      for (const c of doc.items(doc.get(statics.value, 'clusters')?.value)) this.cluster(doc, c);
      for (const s of doc.items(doc.get(statics.value, 'secrets')?.value)) this.secret(doc, s);
    } else if (dynamics) {
      this.result.dynamicOnly = true;
    }
    if (statics || dynamics) return;
    const resources = doc.get(root, 'resources');
    if (resources) {
      for (const r of doc.items(resources.value)) this.resource(doc, r, undefined);
      return;
    }
    // LDS/CDS-like fragments: `listeners:` / `clusters:` at the top.
    const listeners = doc.get(root, 'listeners');
    const clusters = doc.get(root, 'clusters');
    if (listeners || clusters) {
      for (const l of doc.items(listeners?.value)) this.listener(doc, l);
      for (const c of doc.items(clusters?.value)) this.cluster(doc, c);
      return;
    }
    this.resource(doc, root, undefined);
  }

  /**
   * An admin `/config_dump` (JSON): listeners and clusters from their dumps, static and dynamic
   * (active, warming), secrets from the secrets dump and the bootstrap; the bootstrap's own
   * listeners and clusters only when there is no listener/cluster dump (they are repeated there).
   */
  private configDump(doc: YDoc, configs: Node[]): void {
    this.markEnvoy();
    const byType = (suffix: string) =>
      configs.filter((c) =>
        (typeName(doc.text(doc.get(c, '@type')?.value)) ?? '').endsWith(suffix),
      );
    const listenerDumps = byType('.ListenersConfigDump');
    const clusterDumps = byType('.ClustersConfigDump');
    for (const d of listenerDumps) {
      for (const l of doc.items(doc.get(d, 'static_listeners')?.value))
        this.resourceIn(doc, doc.get(l, 'listener')?.value);
      for (const l of doc.items(doc.get(d, 'dynamic_listeners')?.value)) {
        for (const state of ['active_state', 'warming_state'])
          this.resourceIn(doc, doc.get(doc.get(l, state)?.value, 'listener')?.value);
      }
    }
    for (const d of clusterDumps) {
      for (const key of [
        'static_clusters',
        'dynamic_active_clusters',
        'dynamic_warming_clusters',
      ]) {
        for (const c of doc.items(doc.get(d, key)?.value))
          this.resourceIn(doc, doc.get(c, 'cluster')?.value);
      }
    }
    for (const d of byType('.SecretsConfigDump')) {
      for (const sec of doc.items(doc.get(d, 'static_secrets')?.value))
        this.resourceIn(doc, doc.get(sec, 'secret')?.value);
    }
    for (const d of byType('.BootstrapConfigDump')) {
      const statics = doc.get(doc.get(d, 'bootstrap')?.value, 'static_resources')?.value;
      if (!listenerDumps.length)
        for (const l of doc.items(doc.get(statics, 'listeners')?.value)) this.listener(doc, l);
      if (!clusterDumps.length)
        for (const c of doc.items(doc.get(statics, 'clusters')?.value)) this.cluster(doc, c);
      for (const sec of doc.items(doc.get(statics, 'secrets')?.value)) this.secret(doc, sec);
    }
  }

  private resourceIn(doc: YDoc, node: Node | undefined): void {
    if (node) this.resource(doc, node, undefined);
  }

  /** An object whose kind is told by `@type`, or guessed from its keys. */
  private resource(doc: YDoc, node: Node, keyNode: Scalar | undefined): void {
    if (!this.budget() || !doc.isMap(node)) return;
    const type = typeName(doc.text(doc.get(node, '@type')?.value));
    if (type) {
      if (/\.Listener$/.test(type)) {
        this.markEnvoy();
        this.listener(doc, node);
        return;
      }
      if (/\.Cluster$/.test(type)) {
        this.markEnvoy();
        this.cluster(doc, node);
        return;
      }
      if (/\.Secret$/.test(type)) {
        this.markEnvoy();
        this.secret(doc, node);
        return;
      }
      const tls = TLS_TYPES[type];
      if (tls) {
        this.markEnvoy();
        const at = keyNode ? doc.keyRange(keyNode) : doc.range(doc.get(node, '@type')!.keyNode);
        this.add(
          doc,
          tls.side,
          node,
          at,
          doc.range(node),
          {
            kind: 'fragment',
            label: `${type.replace(/^.*\./, '')} (${tls.side} TLS)`,
            serverNames: [],
          },
          tls.v2
            ? [
                {
                  feature: 'envoy.v2-api',
                  detail: `"@type" ${type}`,
                  at: doc.range(doc.get(node, '@type')!.value),
                },
              ]
            : [],
        );
      }
      return;
    }
    if (doc.get(node, 'filter_chains') || doc.get(node, 'default_filter_chain')) {
      this.markEnvoy();
      this.listener(doc, node);
      return;
    }
    if (
      doc.get(node, 'load_assignment') ||
      doc.get(node, 'transport_socket_matches') ||
      (doc.get(node, 'transport_socket') && doc.get(node, 'name') && doc.get(node, 'type'))
    ) {
      this.markEnvoy();
      this.cluster(doc, node);
      return;
    }
    const ts = doc.get(node, 'transport_socket');
    if (ts)
      this.transportSocket(
        doc,
        ts.value,
        ts.keyNode,
        undefined,
        { kind: 'fragment', label: 'transport_socket', serverNames: [] },
        0,
      );
  }

  private markEnvoy(): void {
    this.result.envoy = true;
  }

  private listener(doc: YDoc, node: Node): void {
    if (!this.budget() || !doc.isMap(node)) return;
    const name = nameOf(doc, node);
    const socket = doc.get(doc.get(node, 'address')?.value, 'socket_address')?.value;
    const host = doc.text(doc.get(socket, 'address')?.value);
    const portText = doc.text(doc.get(socket, 'port_value')?.value);
    const port = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : undefined;
    const chains = doc.items(doc.get(node, 'filter_chains')?.value);
    const def = doc.get(node, 'default_filter_chain');
    const all: Array<{ chain: Node; label: string }> = chains.map((chain, i) => {
      const chainName = nameOf(doc, chain);
      return {
        chain,
        label:
          chains.length > 1 || chainName
            ? ` filter chain ${chainName ? `"${chainName}"` : `#${i + 1}`}`
            : '',
      };
    });
    if (def?.value) all.push({ chain: def.value, label: ' default_filter_chain' });
    const base = `listener ${name ? `"${name}"` : `on ${host ?? '?'}:${portText ?? '?'}`}`;
    for (const { chain, label } of all) {
      if (!this.budget()) return;
      const match = doc.get(chain, 'filter_chain_match')?.value;
      const serverNames = doc
        .items(doc.get(match, 'server_names')?.value)
        .map((n) => doc.text(n))
        .filter((n): n is string => !!n && !doc.templated(n));
      const user: User = {
        kind: 'listener',
        label: `${base}${label}${
          serverNames.length
            ? ` (server_names ${serverNames
                .slice(0, 2)
                .map((n) => `"${n}"`)
                .join(', ')}${serverNames.length > 2 ? ', …' : ''})`
            : ''
        }`,
        ...(host &&
          !isWildcard(host) &&
          !doc.templated(doc.get(socket, 'address')?.value) && { host }),
        ...(port !== undefined && { port }),
        ...(socket && { addressAt: doc.range(socket) }),
        serverNames,
      };
      const ts = doc.get(chain, 'transport_socket');
      if (ts) this.transportSocket(doc, ts.value, ts.keyNode, 'downstream', user, 0);
      const v2 = doc.get(chain, 'tls_context');
      if (v2) this.v2Context(doc, v2, 'downstream', user);
    }
    this.markEnvoy();
  }

  private cluster(doc: YDoc, node: Node): void {
    if (!this.budget() || !doc.isMap(node)) return;
    const name = nameOf(doc, node);
    const endpoint = firstEndpoint(doc, node);
    const user = (suffix: string): User => ({
      kind: 'cluster',
      label: `cluster ${name ? `"${name}"` : '(no name)'}${suffix}`,
      ...(endpoint?.host && !isWildcard(endpoint.host) && { host: endpoint.host }),
      ...(endpoint?.port !== undefined && { port: endpoint.port }),
      ...(endpoint?.at && { addressAt: endpoint.at }),
      serverNames: [],
    });
    const ts = doc.get(node, 'transport_socket');
    if (ts) this.transportSocket(doc, ts.value, ts.keyNode, 'upstream', user(''), 0);
    for (const m of doc.items(doc.get(node, 'transport_socket_matches')?.value)) {
      if (!this.budget()) return;
      const mts = doc.get(m, 'transport_socket');
      const matchName = nameOf(doc, m);
      if (mts)
        this.transportSocket(
          doc,
          mts.value,
          mts.keyNode,
          'upstream',
          user(` transport_socket_matches ${matchName ? `"${matchName}"` : ''}`.trimEnd()),
          0,
        );
    }
    const v2 = doc.get(node, 'tls_context');
    if (v2) this.v2Context(doc, v2, 'upstream', user(''));
    this.markEnvoy();
  }

  private secret(doc: YDoc, node: Node): void {
    if (!this.budget()) return;
    const name = doc.text(doc.get(node, 'name')?.value);
    if (name === undefined) return;
    // The first definition wins; Envoy refuses duplicates ("Duplicate static … secret name").
    if (!this.result.secrets.has(name))
      this.result.secrets.set(name, {
        name,
        doc,
        node,
        at: doc.range(doc.get(node, 'name')!.keyNode),
      });
  }

  /** `transport_socket: {name, typed_config}`; wrappers (tcp_stats, proxy protocol…) hold another one. */
  private transportSocket(
    doc: YDoc,
    node: Node | undefined,
    keyNode: Scalar,
    ownerSide: Side | undefined,
    user: User,
    depth: number,
  ): void {
    if (!this.budget() || depth > MAX_WRAPPER_DEPTH) return;
    const socketName = doc.text(doc.get(node, 'name')?.value);
    const typed = doc.get(node, 'typed_config');
    const untyped = doc.get(node, 'config');
    const enabledAt = doc.keyRange(keyNode);
    const at = node
      ? { ...enabledAt, endLine: doc.range(node).endLine, endColumn: doc.range(node).endColumn }
      : enabledAt;
    if (typed?.value) {
      let config: Node | undefined = typed.value;
      let type = typeName(doc.text(doc.get(config, '@type')?.value));
      const v2: Found['v2'] = [];
      // TypedStruct: `{ type_url, value }`.
      if (type && /TypedStruct$/.test(type)) {
        type = typeName(doc.text(doc.get(config, 'type_url')?.value));
        config = doc.get(config, 'value')?.value;
      }
      if (type && TLS_TYPES[type]) {
        const t = TLS_TYPES[type]!;
        if (t.v2)
          v2.push({
            feature: 'envoy.v2-api',
            detail: `"@type" ${type}`,
            at: doc.range(doc.get(typed.value, '@type')?.value ?? typed.keyNode),
          });
        this.add(doc, t.side, config, enabledAt, at, user, v2);
        return;
      }
      if (type && /QuicDownstreamTransport$/.test(type)) {
        const inner = doc.get(config, 'downstream_tls_context');
        if (inner) this.add(doc, 'downstream', inner.value, enabledAt, at, user, []);
        return;
      }
      if (type && /QuicUpstreamTransport$/.test(type)) {
        const inner = doc.get(config, 'upstream_tls_context');
        if (inner) this.add(doc, 'upstream', inner.value, enabledAt, at, user, []);
        return;
      }
      if (type && /StartTlsConfig$/.test(type)) {
        // StartTLS: plain text first, then the TLS context in tls_socket_config.
        const inner = doc.get(config, 'tls_socket_config');
        if (inner)
          this.add(
            doc,
            /Upstream/.test(type) ? 'upstream' : 'downstream',
            inner.value,
            enabledAt,
            at,
            user,
            [],
          );
        return;
      }
      if (
        !type &&
        ownerSide &&
        (doc.get(config, 'common_tls_context') ||
          doc.get(config, 'sni') ||
          doc.get(config, 'require_client_certificate'))
      ) {
        // a TLS context without its "@type" (Envoy needs it; the intent is plain)
        this.add(doc, ownerSide, config, enabledAt, at, user, []);
        return;
      }
      const wrapped = doc.get(config, 'transport_socket');
      if (wrapped)
        this.transportSocket(doc, wrapped.value, wrapped.keyNode, ownerSide, user, depth + 1);
      return;
    }
    if (socketName && /^(envoy\.transport_sockets\.)?(tls|ssl)$/.test(socketName) && ownerSide) {
      // v2 untyped `config:` (a Struct), or a TLS socket with no config at all.
      const v2: Found['v2'] = untyped
        ? [
            {
              feature: 'envoy.v2-api',
              detail: 'the untyped transport socket "config"',
              at: doc.keyRange(untyped.keyNode),
            },
          ]
        : [];
      this.add(doc, ownerSide, untyped?.value, enabledAt, at, user, v2);
    }
  }

  /** v2 `tls_context:` on a cluster or a filter chain (the message itself is the TLS context). */
  private v2Context(
    doc: YDoc,
    entry: { keyNode: Scalar; value: Node | undefined },
    side: Side,
    user: User,
  ): void {
    const at = doc.keyRange(entry.keyNode);
    this.add(
      doc,
      side,
      entry.value,
      at,
      { ...at, endLine: doc.range(entry.value ?? entry.keyNode).endLine },
      user,
      [{ feature: 'envoy.v2-tls-context', detail: 'tls_context', at }],
    );
  }

  private add(
    doc: YDoc,
    side: Side,
    tls: Node | undefined,
    enabledAt: SourceRange,
    at: SourceRange,
    user: User,
    v2: Found['v2'],
  ): void {
    const existing = tls ? this.byNode.get(tls) : undefined;
    if (existing && existing.side === side) {
      if (!existing.users.some((u) => u.label === user.label)) existing.users.push(user);
      return;
    }
    const found: Found = { doc, side, tls, enabledAt, at, users: [user], v2 };
    if (tls) this.byNode.set(tls, found);
    this.result.found.push(found);
  }
}

/** The `name` of a listener/cluster/chain; a template placeholder reads `{{ … }}`. */
function nameOf(doc: YDoc, node: Node): string | undefined {
  const n = doc.get(node, 'name')?.value;
  return doc.templated(n) ? '{{ … }}' : doc.text(n);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '*' || host === '[::]';
}

/** The first endpoint address of a cluster (`load_assignment`, or v2 `hosts`). */
function firstEndpoint(
  doc: YDoc,
  cluster: Node,
): { host?: string; port?: number; at?: SourceRange } | undefined {
  const la = doc.get(cluster, 'load_assignment')?.value;
  for (const e of doc.items(doc.get(la, 'endpoints')?.value)) {
    for (const lb of doc.items(doc.get(e, 'lb_endpoints')?.value)) {
      const sa = doc.get(
        doc.get(doc.get(lb, 'endpoint')?.value, 'address')?.value,
        'socket_address',
      )?.value;
      if (sa) return socketAddress(doc, sa);
    }
  }
  for (const h of doc.items(doc.get(cluster, 'hosts')?.value)) {
    const sa = doc.get(h, 'socket_address')?.value;
    if (sa) return socketAddress(doc, sa);
  }
  return undefined;
}

function socketAddress(doc: YDoc, sa: Node): { host?: string; port?: number; at?: SourceRange } {
  const addr = doc.get(sa, 'address')?.value;
  const host = doc.templated(addr) ? undefined : doc.text(addr);
  const portText = doc.text(doc.get(sa, 'port_value')?.value);
  return {
    ...(host && { host }),
    ...(portText && /^\d+$/.test(portText) && { port: Number(portText) }),
    at: doc.range(sa),
  };
}
