import { describe, expect, it } from 'vitest';
import { requestedFromScan } from '../../src/probe/client-auth.js';
import { fakeScanResult } from './fake-raw.js';

/** How the raw scan's CertificateRequest observations become the "requested" verdict and its words. */
describe('requestedFromScan', () => {
  it('names the versions whose flights were read', () => {
    const scan = fakeScanResult({ requested12: true, requested13: true });
    scan.certificateRequest.tls12!.version = 'TLSv1.2';
    expect(requestedFromScan(scan)).toMatchObject({
      value: true,
      evidence: 'the TLS 1.3 (decrypted) and TLS 1.2 server flights hold a CertificateRequest',
    });
    const old = fakeScanResult({
      protocols: { 'TLSv1.0': true, 'TLSv1.2': false, 'TLSv1.3': false },
      requested12: false,
    });
    old.certificateRequest.tls12!.version = 'TLSv1.0';
    expect(requestedFromScan(old)).toMatchObject({
      value: false,
      evidence: 'no CertificateRequest in the TLS 1.0 server flight',
    });
  });

  it('could not test says why (a HelloRetryRequest to a group without a key share here)', () => {
    const scan = fakeScanResult({ protocols: { 'TLSv1.2': false }, requested13: null });
    scan.certificateRequest.tls13!.reason =
      'cannot continue after HelloRetryRequest (group ffdhe2048, suite 0x1301)';
    const r = requestedFromScan(scan);
    expect(r.value).toBeNull();
    expect(r.evidence).toBe(
      'the raw scan could not read a server flight that would show a CertificateRequest (TLS 1.3: cannot continue after HelloRetryRequest (group ffdhe2048, suite 0x1301))',
    );
  });
});
