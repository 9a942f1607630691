/**
 * The plugin's settings, meaning the same as the CLI flags: `settings['tls-lint']` shared by all
 * rules (`target`, `profile`, `mtls`, `expiryDays`), overridable per rule by the rule's options.
 */
import { DEFAULT_POLICY, MTLS_MODES, PROFILES, type Policy } from '../../src/config/policy.js';
import { parseTargetArgs, type TargetPlatform } from '../../src/config/targets.js';

export interface TlsLintSettings {
  /** `{ node: '18' }`, or CLI-style `['node=18', 'nginx=1.22']`. */
  target?: Record<string, string> | string[];
  profile?: Policy['profile'];
  mtls?: Policy['mtls'];
  /** `certificate-validity` warns this many days before expiry (CLI `--expiry-days`). */
  expiryDays?: number;
}

export interface ResolvedSettings {
  policy: Policy;
  targets: Map<TargetPlatform, string>;
  /** A stable key for caching one file's analysis per distinct settings. */
  key: string;
}

/** JSON schema of the settings object, used as each rule's options schema. */
export const SETTINGS_SCHEMA = {
  type: 'object',
  properties: {
    target: {
      oneOf: [
        { type: 'object', additionalProperties: { type: 'string' } },
        { type: 'array', items: { type: 'string' } },
      ],
    },
    profile: { enum: [...PROFILES] },
    mtls: { enum: [...MTLS_MODES] },
    expiryDays: { type: 'integer', minimum: 0 },
  },
  additionalProperties: false,
} as const;

/** Shared settings merged with a rule's own options (the rule's options win). Throws on bad values. */
export function resolveSettings(shared: unknown, own: unknown): ResolvedSettings {
  const merged: TlsLintSettings = {
    ...asSettings(shared, "settings['tls-lint']"),
    ...asSettings(own, 'rule options'),
  };
  const policy: Policy = { ...DEFAULT_POLICY };
  if (merged.profile !== undefined) {
    if (!(PROFILES as readonly string[]).includes(merged.profile))
      throw new Error(
        `tls-lint: unknown profile "${merged.profile}"; known: ${PROFILES.join(', ')}`,
      );
    policy.profile = merged.profile;
  }
  if (merged.mtls !== undefined) {
    if (!(MTLS_MODES as readonly string[]).includes(merged.mtls))
      throw new Error(
        `tls-lint: unknown mtls mode "${merged.mtls}"; known: ${MTLS_MODES.join(', ')}`,
      );
    policy.mtls = merged.mtls;
  }
  if (merged.expiryDays !== undefined) policy.certificateExpiryWarningDays = merged.expiryDays;
  const list = Array.isArray(merged.target)
    ? merged.target
    : Object.entries(merged.target ?? {}).map(([k, v]) => `${k}=${v}`);
  const targets = parseTargetArgs(list);
  const key = JSON.stringify([policy, [...targets].sort()]);
  return { policy, targets, key };
}

function asSettings(value: unknown, where: string): TlsLintSettings {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error(`tls-lint: ${where} must be an object`);
  return value;
}
