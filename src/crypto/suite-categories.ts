/**
 * Categories of TLS ≤1.2 cipher suites that rules report, as data: which suites a category
 * selects, the OpenSSL token that removes it, and its severity per Mozilla profile. The insecure
 * categories are one table shared by insecure-cipher-suite, the rules that must not report the
 * same suites again (cbc-cipher-suite, no-forward-secrecy) and the probe report's colours.
 */
import type { ProfileName } from '../config/policy.js';
import type { Severity } from '../model/finding.js';
import type { CipherSuite } from './suite-types.js';

export interface SuiteCategory {
  /** Words for the message: `anonymous`, `NULL-encryption`, `CBC-mode`. */
  label: string;
  selects(suite: CipherSuite): boolean;
  /** The OpenSSL-string token that removes the category (`!aNULL`), when there is one. */
  opensslFix?: string | ((suites: readonly CipherSuite[]) => string);
  severity(profile: ProfileName): Severity | undefined;
  /** Why it matters, a few words appended to the message. */
  why?: string;
}

const always = () => 'error' as const;

export const INSECURE_CATEGORIES: readonly SuiteCategory[] = [
  {
    label: 'NULL-encryption',
    selects: (s) => s.flags.includes('NULL'),
    opensslFix: '!eNULL',
    severity: always,
    why: 'traffic is sent in clear text',
  },
  {
    label: 'anonymous',
    selects: (s) => s.flags.includes('anon'),
    opensslFix: '!aNULL',
    severity: always,
    why: 'no server authentication: anyone in the middle can impersonate the server',
  },
  {
    label: 'EXPORT',
    selects: (s) => s.flags.includes('EXPORT'),
    opensslFix: '!EXPORT',
    severity: always,
    why: '40/56-bit keys, FREAK/Logjam',
  },
  {
    label: 'RC4',
    selects: (s) => s.flags.includes('RC4'),
    opensslFix: '!RC4',
    severity: always,
    why: 'RFC 7465 prohibits RC4',
  },
  {
    label: 'single-DES',
    selects: (s) => s.flags.includes('DES'),
    opensslFix: '!DES',
    severity: always,
    why: '56-bit keys',
  },
  {
    label: 'MD5-MAC',
    selects: (s) => s.flags.includes('MD5'),
    opensslFix: '!MD5',
    severity: always,
  },
  {
    label: '3DES',
    selects: (s) => s.flags.includes('3DES'),
    opensslFix: '!3DES',
    severity: (p) => (p === 'old' ? 'warning' : 'error'),
    why: '64-bit blocks, SWEET32',
  },
];
