/**
 * Mozilla Server Side TLS profiles, from the guideline JSON shipped unmodified in
 * ./data/mozilla/ (MPL-2.0, see LICENSE-MPL-2.0.txt there).
 *
 * Version choice: `modern` and `intermediate` come from guidelines 6.0 (the current one);
 * `old` from 5.7, because 6.0 removed the old profile and tls-lint still offers it.
 */
import type { ProfileName } from '../config/policy.js';
import { protocolFromPlatformName, type ProtocolVersion } from '../model/protocol.js';
import { suiteByIanaName, suiteByOpenSslName } from './cipher-suites.js';
import g57 from './data/mozilla/5.7.json' with { type: 'json' };
import g60 from './data/mozilla/6.0.json' with { type: 'json' };
import type { CipherSuite } from './suite-types.js';

interface GuidelineConfiguration {
  ciphers: { openssl?: string[]; iana?: string[] };
  ciphersuites: string[];
  tls_versions: string[];
  tls_curves: string[];
  dh_param_size: number | null;
  ecdh_param_size: number | null;
  rsa_key_size: number | null;
  server_preferred_order: boolean;
}

export interface MozillaProfile {
  name: ProfileName;
  /** Guideline version the profile was taken from. */
  guidelineVersion: string;
  protocols: ProtocolVersion[];
  /** TLS ≤1.2 suites the profile allows, in the profile's order. */
  suites: CipherSuite[];
  /** TLS 1.3 suites. */
  tls13: CipherSuite[];
  curves: string[];
  dhParamSize?: number;
  rsaKeySize?: number;
  serverPreferredOrder: boolean;
}

function load(name: ProfileName, version: string, c: GuidelineConfiguration): MozillaProfile {
  const names = c.ciphers.iana ?? [];
  const suites = names.map((n) => suiteByIanaName(n)).filter((s): s is CipherSuite => !!s);
  if (suites.length === 0 && c.ciphers.openssl) {
    suites.push(
      ...c.ciphers.openssl.map((n) => suiteByOpenSslName(n)).filter((s): s is CipherSuite => !!s),
    );
  }
  return {
    name,
    guidelineVersion: version,
    protocols: c.tls_versions
      .map((v) => protocolFromPlatformName('openssl', v))
      .filter((v): v is ProtocolVersion => !!v),
    suites,
    tls13: c.ciphersuites.map((n) => suiteByIanaName(n)).filter((s): s is CipherSuite => !!s),
    curves: c.tls_curves,
    ...(c.dh_param_size && { dhParamSize: c.dh_param_size }),
    ...(c.rsa_key_size && { rsaKeySize: c.rsa_key_size }),
    serverPreferredOrder: c.server_preferred_order,
  };
}

const PROFILES: Record<ProfileName, MozillaProfile> = {
  modern: load('modern', g60.version.toFixed(1), g60.configurations.modern),
  intermediate: load('intermediate', g60.version.toFixed(1), g60.configurations.intermediate),
  old: load('old', g57.version.toFixed(1), g57.configurations.old),
};

export function mozillaProfile(name: ProfileName): MozillaProfile {
  return PROFILES[name];
}

/** Whether a suite is allowed by the profile (TLS 1.3 suites by the TLS 1.3 list). */
export function profileAllows(profile: MozillaProfile, suite: CipherSuite): boolean {
  return suite.tls13 ? profile.tls13.includes(suite) : profile.suites.includes(suite);
}
