/**
 * Which addresses confirm mode contacts: only what the configs write (a wildcard means
 * 127.0.0.1) or what `--endpoint` maps; client contexts are never endpoints.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/config/targets.js';
import { endpointsOf, isEndpoint, parseEndpointMapping } from '../../src/confirm/endpoints.js';
import { newContext, type TlsContext } from '../../src/model/context.js';
import { lineRange } from '../../src/model/location.js';

const FILE = '/srv/conf/nginx.conf';

function server(
  id: string,
  line: number,
  target?: TlsContext['target'],
  role: TlsContext['role'] = 'server',
): TlsContext {
  return newContext({
    id,
    language: 'nginx',
    role,
    at: { file: FILE, line, column: 3, endLine: line + 5, endColumn: 4 },
    label: `server{} "${target?.sni ?? id}"`,
    api: 'nginx server',
    recognition: 'known-api',
    ...(target && { target }),
  });
}

describe('--endpoint mappings', () => {
  it('parses a server name or file:line and a host:port, IPv6 in brackets', () => {
    expect(parseEndpointMapping('api.example.com=staging.internal:8443')).toEqual({
      spec: 'api.example.com=staging.internal:8443',
      name: 'api.example.com',
      host: 'staging.internal',
      port: 8443,
    });
    expect(parseEndpointMapping('conf/site.conf:12=[::1]:9443')).toMatchObject({
      name: 'conf/site.conf:12',
      host: '::1',
      port: 9443,
    });
  });

  it.each([
    'api.example.com',
    '=127.0.0.1:1',
    'a=',
    'a=127.0.0.1',
    'a=127.0.0.1:0',
    'a=127.0.0.1:70000',
    'a=[nothost]:1',
  ])('refuses %j as a usage error', (spec) => {
    expect(() => parseEndpointMapping(spec)).toThrow(UsageError);
  });
});

describe('endpoints of the contexts', () => {
  it('a wildcard listen is 127.0.0.1; one endpoint per address and SNI, shared by its contexts; clients and unknown addresses are none', () => {
    const contexts = [
      server('a', 10, { port: 8443, sni: 'a.test', at: lineRange(FILE, 11) }),
      server('b', 20, { host: '0.0.0.0', port: 8443, sni: 'a.test' }),
      server('c', 30, { host: '10.1.2.3', port: 443, sni: 'c.test' }),
      server('d', 40, { sni: 'd.test' }),
      server('e', 50, { host: 'upstream.internal', port: 443 }, 'client'),
    ];
    const { endpoints, byContext } = endpointsOf(contexts, [], '/srv');
    expect(
      endpoints.map((e) => ({
        label: e.label,
        sni: e.sni,
        contextIds: e.contextIds,
        line: e.source.line,
      })),
    ).toEqual([
      { label: '127.0.0.1:8443', sni: 'a.test', contextIds: ['a', 'b'], line: 11 },
      { label: '10.1.2.3:443', sni: 'c.test', contextIds: ['c'], line: 30 },
    ]);
    const d = byContext.get('d')!;
    expect(isEndpoint(d)).toBe(false);
    expect(!isEndpoint(d) && d.reason).toMatch(/names no address to probe.*--endpoint/);
    const e = byContext.get('e')!;
    expect(!isEndpoint(e) && e.reason).toMatch(/is a TLS client/);
  });

  it('a mapping by name keeps the SNI; by file:line it reaches a server with no address of its own', () => {
    const contexts = [
      server('a', 10, { port: 8443, sni: 'a.test' }),
      server('d', 40, { sni: 'd.test' }),
    ];
    const mappings = [
      parseEndpointMapping('A.TEST=staging:9443'),
      parseEndpointMapping('conf/nginx.conf:42=127.0.0.1:7443'),
    ];
    const { endpoints } = endpointsOf(contexts, mappings, '/srv');
    expect(endpoints.map((e) => [e.label, e.sni, e.mappedBy])).toEqual([
      ['staging:9443', 'a.test', 'A.TEST=staging:9443'],
      ['127.0.0.1:7443', 'd.test', 'conf/nginx.conf:42=127.0.0.1:7443'],
    ]);
  });
});
