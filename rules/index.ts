/**
 * The rules registry: every rule tls-lint runs, in the order of DESIGN.md §4.
 * A new rule is a folder `rules/<id>/` (index.ts + meta.ts + README.md) and one line here.
 */
import type { Rule } from '../src/engine/rule-api.js';
import { rule as insecureProtocolVersion } from './insecure-protocol-version/index.js';
import { rule as invalidProtocolRange } from './invalid-protocol-range/index.js';
import { rule as insecureCipherSuite } from './insecure-cipher-suite/index.js';
import { rule as cbcCipherSuite } from './cbc-cipher-suite/index.js';
import { rule as noForwardSecrecy } from './no-forward-secrecy/index.js';
import { rule as invalidCipherString } from './invalid-cipher-string/index.js';
import { rule as loweredSecurityLevel } from './lowered-security-level/index.js';
import { rule as certificateVerificationDisabled } from './certificate-verification-disabled/index.js';
import { rule as hostnameVerificationDisabled } from './hostname-verification-disabled/index.js';
import { rule as clientCertificateNotRequired } from './client-certificate-not-required/index.js';
import { rule as clientCertificateNotVerified } from './client-certificate-not-verified/index.js';
import { rule as weakKey } from './weak-key/index.js';
import { rule as certificateValidity } from './certificate-validity/index.js';
import { rule as selfSignedCertificate } from './self-signed-certificate/index.js';
import { rule as weakSignatureAlgorithm } from './weak-signature-algorithm/index.js';
import { rule as deprecatedTlsApi } from './deprecated-tls-api/index.js';
import { rule as insecureRenegotiation } from './insecure-renegotiation/index.js';

export const RULES: readonly Rule[] = [
  insecureProtocolVersion,
  invalidProtocolRange,
  insecureCipherSuite,
  cbcCipherSuite,
  noForwardSecrecy,
  invalidCipherString,
  loweredSecurityLevel,
  certificateVerificationDisabled,
  hostnameVerificationDisabled,
  clientCertificateNotRequired,
  clientCertificateNotVerified,
  weakKey,
  certificateValidity,
  selfSignedCertificate,
  weakSignatureAlgorithm,
  deprecatedTlsApi,
  insecureRenegotiation,
];
