import { describe, expect, it } from 'vitest';
import {
  endpointLabel,
  expectedCertificateName,
  parseEndpoint,
  TargetSyntaxError,
} from '../../src/probe/target.js';

describe('probe targets', () => {
  it('parses host, host:port, IPv4 and bracketed IPv6', () => {
    expect(parseEndpoint('example.com')).toEqual({
      host: 'example.com',
      port: 443,
      sni: 'example.com',
    });
    expect(parseEndpoint('example.com:8443')).toEqual({
      host: 'example.com',
      port: 8443,
      sni: 'example.com',
    });
    expect(parseEndpoint('127.0.0.1:8443')).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(parseEndpoint('[::1]:8443')).toEqual({ host: '::1', port: 8443 });
    expect(parseEndpoint('::1')).toEqual({ host: '::1', port: 443 });
    expect(parseEndpoint('https://example.com:444/path')).toEqual({
      host: 'example.com',
      port: 444,
      sni: 'example.com',
    });
  });

  it('--sni overrides the name sent and matched, also for IP targets', () => {
    const e = parseEndpoint('127.0.0.1:8443', 'api.example.com');
    expect(e).toEqual({ host: '127.0.0.1', port: 8443, sni: 'api.example.com' });
    expect(expectedCertificateName(e)).toBe('api.example.com');
    expect(expectedCertificateName(parseEndpoint('127.0.0.1:1'))).toBe('127.0.0.1');
  });

  it('labels IPv6 endpoints with brackets', () => {
    expect(endpointLabel({ host: '::1', port: 8443 })).toBe('[::1]:8443');
    expect(endpointLabel({ host: 'a.b', port: 1 })).toBe('a.b:1');
  });

  it('rejects bad ports and shapes', () => {
    for (const bad of ['host:0', 'host:70000', 'host:x', '[example.com]:1', 'a:b:c:d:', '']) {
      expect(() => parseEndpoint(bad), bad).toThrow(TargetSyntaxError);
    }
  });
});
