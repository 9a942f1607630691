/**
 * The endpoint a probe talks to: `host[:port]`, `[v6addr]:port`, with an optional SNI name.
 */
import net from 'node:net';

export interface ProbeEndpoint {
  host: string;
  port: number;
  /** The name sent as SNI and matched against the certificate; undefined for a bare IP. */
  sni?: string;
}

const DEFAULT_PROBE_PORT = 443;

/** A bad `host[:port]` argument: the CLI turns it into exit code 2. */
export class TargetSyntaxError extends Error {}

/**
 * Parses `example.com`, `example.com:8443`, `127.0.0.1:8443`, `[::1]:8443`, `::1` (a bare IPv6
 * address without brackets takes the default port). Throws {@link TargetSyntaxError}.
 */
export function parseEndpoint(spec: string, sni?: string): ProbeEndpoint {
  const text = spec
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/.*$/, '');
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (!net.isIPv6(host))
      throw new TargetSyntaxError(`"${spec}": brackets are for IPv6 addresses only`);
  } else if (net.isIPv6(text)) {
    host = text;
  } else {
    const m = /^([^:\s]+)(?::(\d+))?$/.exec(text);
    if (!m)
      throw new TargetSyntaxError(
        `"${spec}" is not host[:port] (write IPv6 addresses as [::1]:8443)`,
      );
    host = m[1]!;
    portText = m[2];
  }
  const port = portText === undefined ? DEFAULT_PROBE_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new TargetSyntaxError(`"${spec}": port must be 1-65535`);
  if (!host) throw new TargetSyntaxError(`"${spec}": missing host`);
  // SNI carries host names only (RFC 6066 §3): an IP literal is never sent as SNI.
  const name = sni ?? (net.isIP(host) ? undefined : host);
  return { host, port, ...(name !== undefined && { sni: name }) };
}

/** `host:port` with IPv6 in brackets: the `file` of probe findings and the report heading. */
export function endpointLabel(endpoint: Pick<ProbeEndpoint, 'host' | 'port'>): string {
  return net.isIPv6(endpoint.host)
    ? `[${endpoint.host}]:${endpoint.port}`
    : `${endpoint.host}:${endpoint.port}`;
}

/** The name the served certificate must match: the SNI name, else the address itself. */
export function expectedCertificateName(endpoint: ProbeEndpoint): string {
  return endpoint.sni ?? endpoint.host;
}
