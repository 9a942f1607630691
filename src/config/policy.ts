/**
 * Policy: what the user wants enforced, independent of the input language.
 */

/**
 * - `auto`: client-certificate rules apply where a server shows mTLS intent (a client CA is
 *   configured, or a client certificate is requested).
 * - `required`: every server must require and verify client certificates.
 * - `off`: client-certificate rules never fire.
 */
export const MTLS_MODES = ['auto', 'required', 'off'] as const;
export type MtlsMode = (typeof MTLS_MODES)[number];

/** Mozilla server-side TLS profiles; `intermediate` is the default. */
export const PROFILES = ['modern', 'intermediate', 'old'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface Policy {
  mtls: MtlsMode;
  /**
   * Why mutual TLS is required when that is not the user's `--mtls required` (confirm mode
   * judges an endpoint whose configuration means mTLS as required to): worded into messages.
   */
  mtlsBecause?: string;
  profile: ProfileName;
  /** `certificate-validity` warns when a certificate expires within this many days. */
  certificateExpiryWarningDays: number;
}

export const DEFAULT_POLICY: Readonly<Policy> = {
  mtls: 'auto',
  profile: 'intermediate',
  certificateExpiryWarningDays: 30,
};
