import { describe, expect, it } from 'vitest';
import { condenseNotes, readableNote } from '../../src/probe/index.js';

/** Scan notes become report lines a person reads: one line per reason, versions as people write them. */
describe('probe notes', () => {
  it('one line for versions that could not be tested for the same reason, in version order', () => {
    const notes = condenseNotes([
      'TLSv1.1 could not be tested: no complete ServerHello within 800 ms',
      'SSLv3 could not be tested: no complete ServerHello within 800 ms',
      'groups could not be tested: neither TLS 1.3 nor an ECDHE suite is accepted',
      'TLSv1.3 could not be tested: alert unrecognized_name (112)',
      'TLSv1.0 could not be tested: no complete ServerHello within 800 ms',
    ]);
    expect(notes).toEqual([
      'SSLv3, TLSv1.0 and TLSv1.1 could not be tested: no complete ServerHello within 800 ms',
      'groups could not be tested: neither TLS 1.3 nor an ECDHE suite is accepted',
      'TLSv1.3 could not be tested: alert unrecognized_name (112)',
    ]);
    expect(notes.map(readableNote)).toEqual([
      'SSL 3.0, TLS 1.0 and TLS 1.1 could not be tested: no complete ServerHello within 800 ms.',
      'Groups could not be tested: neither TLS 1.3 nor an ECDHE suite is accepted.',
      'TLS 1.3 could not be tested: alert unrecognized_name (112)',
    ]);
  });
});
