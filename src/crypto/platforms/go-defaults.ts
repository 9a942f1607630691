/**
 * Go `crypto/tls` defaults by Go version and GODEBUG — the one home of these facts.
 *
 * Sources (docs/platform-facts.md#go, re-checked against Go's own sources):
 * - golang/go `src/crypto/tls/common.go` (`Config.supportedVersions`): with `MinVersion == 0` a
 *   client skips versions below TLS 1.2 (Go 1.19 source, unconditional; Go 1.18 release notes:
 *   client default TLS 1.2, `GODEBUG=tls10default=1` restores TLS 1.0 in 1.18 only); a server
 *   does the same unless `tls10server=1` (golang/go@032660573c, Go 1.23 tree; golang/go#62459).
 * - `src/crypto/tls/defaults.go` (golang/go@090372e8, Go 1.24+ tree): `defaultCipherSuites`
 *   drops `disabledCipherSuites`, then `rsaKexCiphers` unless `tlsrsakex=1`, then `tdesCiphers`
 *   unless `tls3des=1`. Go 1.19 `cipher_suites.go` (`cipherSuitesPreferenceOrder` minus
 *   `disabledCipherSuites`, i.e. CBC-SHA256 and RC4) gives the list before those GODEBUGs.
 * - `src/internal/godebugs/table.go` (golang/go@032660573c): `tls10server` Changed 22 Old "1",
 *   `tlsrsakex` Changed 22 Old "1", `tlsunsafeekm` Changed 22 Old "1", `tls3des` Changed 23 Old
 *   "1", `x509sha1` (no default change: opt-in only), `tlskyber` Changed 23 Old "0",
 *   `x509negativeserial` Changed 23 Old "1", `x509usefallbackroots` (opt-in).
 * - `doc/godebug.md` (golang/go@6851795fb6, Go 1.26 tree), GODEBUG History:
 *   Go 1.18 "removed support for SHA1 in most X.509 certificates, controlled by x509sha1";
 *   Go 1.22 "disabled ConnectionState.ExportKeyingMaterial when the connection supports neither
 *   TLS 1.3 nor Extended Master Secret … reenabled with tlsunsafeekm"; Go 1.24 "removed the
 *   x509sha1 setting. crypto/x509 no longer supports verifying signatures on certificates that
 *   use SHA-1", "enabled X25519MLKEM768 by default … reverted using tlsmlkem", "removed
 *   X25519Kyber768Draft00 and the Go 1.23 tlskyber setting", `x509rsacrt=0` (PKCS#1 CRT values
 *   not validated); Go 1.25 "disabled SHA-1 signature algorithms in TLS 1.2 according to RFC
 *   9155 … reverted using the tlssha1=1 setting".
 * - `doc/godebug.md`: the `GODEBUG` environment variable holds a comma-separated list of settings,
 *   unrecognised ones are ignored, and "when a GODEBUG setting is not listed in the environment
 *   variable" its value comes from the toolchain, go.mod and `//go:debug`: the environment wins.
 * - Not modelled, because no rule judges what they change: `tlsmlkem=0`/`tlskyber=0` (no
 *   post-quantum key share; a posture choice, not a weakness of TLS 1.2/1.3 today),
 *   `x509negativeserial=1`, `x509rsacrt=0` (parsing leniency), `x509usefallbackroots=1` (which
 *   root store, not whether roots are checked).
 *
 * GODEBUG defaults follow the `go` line of the main module's go.mod, not the toolchain: a module
 * that says `go 1.21` built with Go 1.23 still gets `tls10server=1` (Go 1.21+; older `go` lines
 * get the Go 1.20 defaults). A `godebug` line in go.mod (Go 1.23+) or a `//go:debug` directive in
 * the main package (Go 1.21+) overrides them.
 */
import { compareVersions } from '../../config/targets.js';
import type { SourceRange } from '../../model/location.js';
import type { ProtocolVersion } from '../../model/protocol.js';

/** A GODEBUG setting that changes a TLS or X.509 default. */
export interface GoDebugSetting {
  name: string;
  /** Minor version whose `go` line switched the default (22 = Go 1.22); none = opt-in only. */
  changed?: number;
  /** The value that restores the behaviour before `changed` (or enables the opt-in). */
  old: string;
  /** What the old value does, for messages. */
  effect: string;
}

/** The TLS/X.509 GODEBUGs tls-lint models or reports (internal/godebugs/table.go). */
const GO_TLS_GODEBUGS: readonly GoDebugSetting[] = [
  {
    name: 'tls10server',
    changed: 22,
    old: '1',
    effect: 'servers accept TLS 1.0 and TLS 1.1 when MinVersion is not set',
  },
  {
    name: 'tlsrsakex',
    changed: 22,
    old: '1',
    effect: 'RSA key-exchange suites (no forward secrecy) are back in the default cipher suites',
  },
  {
    name: 'tls3des',
    changed: 23,
    old: '1',
    effect: '3DES suites are back in the default cipher suites',
  },
  {
    name: 'tlsunsafeekm',
    changed: 22,
    old: '1',
    effect: 'ExportKeyingMaterial works on connections without Extended Master Secret',
  },
  {
    name: 'tls10default',
    old: '1',
    effect: 'clients accept TLS 1.0 and TLS 1.1 when MinVersion is not set (Go 1.18 only)',
  },
  {
    name: 'x509sha1',
    old: '1',
    effect: 'SHA-1 signed certificates verify again (removed in Go 1.24)',
  },
  {
    name: 'tlssha1',
    changed: 25,
    old: '1',
    effect: 'SHA-1 signature algorithms are allowed in TLS 1.2 handshakes',
  },
];

/** Hashes Go's crypto/x509 and crypto/tls accept in signatures besides SHA-1. */
const SHA2 = ['sha256', 'sha384', 'sha512'];

/**
 * The GODEBUG switches that loosen what a Go program accepts from its peers, as facts a rule can
 * judge: each explicit setting (go.mod `godebug` line, `//go:debug`) that changes behaviour for
 * the toolchain, with what it changes. Defaults of the go line are left out: they are what
 * every program of that version does, and the per-config rules already report them (floors,
 * suites); these are switches someone wrote.
 */
export interface GoSwitchEffect {
  /** The GODEBUG as written and where. */
  name: string;
  written: GoDebugValue;
  /** What it changes. */
  effect: LooseningEffect;
}

/** What a loosening switch set to 1 changes (the one home of these facts). */
export type LooseningEffect =
  | { kind: 'peer-signature-hashes'; where: 'certificates' | 'handshake'; hashes: string[] }
  | { kind: 'feature'; feature: string; detail: string };

const LOOSENING: Readonly<Record<string, LooseningEffect>> = {
  // Honoured from Go 1.18 (before, SHA-1 certificates verified anyway) to 1.23; gone in 1.24.
  x509sha1: { kind: 'peer-signature-hashes', where: 'certificates', hashes: ['sha1', ...SHA2] },
  // Before Go 1.25 SHA-1 was allowed in TLS 1.2 handshakes anyway: the effect holds for all.
  tlssha1: { kind: 'peer-signature-hashes', where: 'handshake', hashes: ['sha1', ...SHA2] },
  tlsunsafeekm: { kind: 'feature', feature: 'go.tlsunsafeekm', detail: 'tlsunsafeekm=1' },
};

/** The Go versions that read x509sha1, as a toolchain test. */
const readsX509sha1 = (toolchain: string) => compareVersions(toolchain, '1.24') < 0;

export function goSwitchEffects(env: GoEnvironment): GoSwitchEffect[] {
  const out: GoSwitchEffect[] = [];
  for (const [name, effect] of Object.entries(LOOSENING)) {
    const written = env.godebug.get(name);
    if (written?.value !== '1') continue;
    if (name === 'x509sha1' && !readsX509sha1(env.toolchain)) continue;
    out.push({ name, written, effect });
  }
  return out;
}

export function goDebugSetting(name: string): GoDebugSetting | undefined {
  return GO_TLS_GODEBUGS.find((s) => s.name === name);
}

/** Where an explicit GODEBUG value comes from, for messages: `godebug line in go.mod`. */
export interface GoDebugValue {
  value: string;
  source: string;
  /** Where it is written (the `name=value` of a godebug line or `//go:debug` directive). */
  at?: SourceRange;
}

/**
 * The Go facts in force for one file: the `go` line (GODEBUG defaults), the toolchain (at least
 * the `go` line), and explicit GODEBUG values.
 */
export interface GoEnvironment {
  /** `1.21`: the language version whose GODEBUG defaults apply. */
  version: string;
  /** Where the version comes from, for messages: `go.mod "go 1.21"`, `--target go=1.21`, an assumption. */
  versionSource: string;
  /** The toolchain version (toolchain line, else the `go` line). */
  toolchain: string;
  godebug: ReadonlyMap<string, GoDebugValue>;
}

function minor(version: string): number {
  const m = /^1\.(\d+)/.exec(version);
  return m ? Number(m[1]) : 0;
}

/**
 * A GODEBUG's effective value and why: explicit (go.mod `godebug`, `//go:debug`), else the default
 * of the `go` line (`default=go1.X` moves that line).
 */
function goDebugValue(
  env: GoEnvironment,
  name: string,
): { value: string; explicit?: GoDebugValue } {
  const explicit = env.godebug.get(name);
  if (explicit) return { value: explicit.value, explicit };
  const setting = goDebugSetting(name);
  if (!setting?.changed) return { value: '' };
  const base = env.godebug.get('default')?.value.replace(/^go/, '') ?? env.version;
  // Go lines before 1.21 get the Go 1.20 defaults.
  return { value: Math.max(minor(base), 20) >= setting.changed ? '' : setting.old };
}

function godebugClause(env: GoEnvironment, name: string): string {
  const v = goDebugValue(env, name);
  if (v.explicit)
    return `GODEBUG ${name}=${v.explicit.value} (${v.explicit.source}; Go ${env.version} from ${env.versionSource})`;
  return `Go ${env.version} (${env.versionSource})`;
}

/**
 * The default lowest protocol version of a `tls.Config` without MinVersion, and why (a phrase
 * that names the Go version and where it came from, or the GODEBUG that set it).
 */
export function goDefaultMinVersion(
  env: GoEnvironment,
  role: 'server' | 'client',
): { version: ProtocolVersion; reason: string } {
  if (role === 'client') {
    const tls10default = env.godebug.get('tls10default');
    if (minor(env.toolchain) === 18 && tls10default?.value === '1') {
      return {
        version: 'TLSv1.0',
        reason: `the default MinVersion for clients is TLS 1.0 with GODEBUG tls10default=1 (${tls10default.source}; Go 1.18)`,
      };
    }
    if (minor(env.toolchain) >= 18)
      return {
        version: 'TLSv1.2',
        reason: `Go ${env.toolchain}'s default MinVersion for clients is TLS 1.2 (since Go 1.18)`,
      };
    return {
      version: 'TLSv1.0',
      reason: `Go ${env.toolchain}'s default MinVersion for clients is TLS 1.0 (${env.versionSource}; TLS 1.2 from Go 1.18)`,
    };
  }
  const tls10 = goDebugValue(env, 'tls10server');
  if (tls10.value === '1') {
    return tls10.explicit
      ? {
          version: 'TLSv1.0',
          reason: `the default MinVersion for servers is TLS 1.0 with ${godebugClause(env, 'tls10server')}`,
        }
      : {
          version: 'TLSv1.0',
          reason: `Go ${env.version}'s default MinVersion for servers is TLS 1.0 (${env.versionSource}; TLS 1.2 from Go 1.22)`,
        };
  }
  return {
    version: 'TLSv1.2',
    reason: `Go ${env.version}'s default MinVersion for servers is TLS 1.2 (since Go 1.22)`,
  };
}

/** Go's default TLS ≤1.2 suites (Config.CipherSuites nil), as constant names, in Go's order. */
export function goDefaultCipherSuites(
  goVersion: string,
  godebug: ReadonlyMap<string, GoDebugValue> = new Map(),
): string[] {
  const env: GoEnvironment = {
    version: goVersion,
    versionSource: '',
    toolchain: goVersion,
    godebug,
  };
  const ecdheAead = [
    'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
    'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
    'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  ];
  const ecdheCbc = [
    'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA',
    'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA',
    'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
    'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  ];
  const rsaKex = [
    'TLS_RSA_WITH_AES_128_GCM_SHA256',
    'TLS_RSA_WITH_AES_256_GCM_SHA384',
    'TLS_RSA_WITH_AES_128_CBC_SHA',
    'TLS_RSA_WITH_AES_256_CBC_SHA',
  ];
  const out = [...ecdheAead, ...ecdheCbc];
  if (goDebugValue(env, 'tlsrsakex').value === '1') out.push(...rsaKex);
  if (goDebugValue(env, 'tls3des').value === '1') {
    out.push('TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA');
    if (goDebugValue(env, 'tlsrsakex').value === '1') out.push('TLS_RSA_WITH_3DES_EDE_CBC_SHA');
  }
  return out;
}

/** Why the default suites are what they are, naming the GODEBUGs that changed them. */
export function goDefaultCipherReason(env: GoEnvironment): string {
  const extras = ['tlsrsakex', 'tls3des'].filter((n) => goDebugValue(env, n).value === '1');
  const why = extras.length
    ? ` with ${extras.map((n) => (goDebugValue(env, n).explicit ? `GODEBUG ${n}=1 (${goDebugValue(env, n).explicit!.source})` : `${n}=1 by default for the go line`)).join(' and ')}`
    : '';
  return `Go ${env.version}'s default cipher suites (${env.versionSource}${why})`;
}

/** Whether Go ignores `PreferServerCipherSuites` (and the order of CipherSuites): Go 1.17+. */
export function goOrdersSuitesItself(toolchain: string): boolean {
  return compareVersions(toolchain, '1.17') >= 0;
}

/**
 * What one GODEBUG setting of the process environment (`GODEBUG=tls10server=1,x509sha1=1` in a
 * Dockerfile, compose file, .env or shell script) makes every Go program started with it do. The
 * environment wins over go.mod and `//go:debug` for the settings it names (doc/godebug.md), and
 * the Go version of those programs is not known from the file: `toolchain` is given only when the
 * user said it (`--target go=…`). `condition` states the versions the effect needs when they are
 * unknown; `ignoredBy` says why a known toolchain ignores the setting.
 */
export interface GoEnvSettingEffect {
  name: string;
  value: string;
  effect:
    | LooseningEffect
    | { kind: 'default-floor'; role: 'server' | 'client'; protocols: ProtocolVersion[] }
    | { kind: 'default-suites'; suites: string[] };
  /** What the setting does, from the table (`effect` of {@link GoDebugSetting}). */
  describe: string;
  condition?: string;
  ignoredBy?: string;
  /** For a setting that restores an old default: the Go versions that behave so without it. */
  olderDefault?: string;
}

const ALL_PROTOCOLS: ProtocolVersion[] = ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

/** The effect of `name=value` in a process's GODEBUG, or undefined when tls-lint has none to state. */
export function goEnvSettingEffect(
  name: string,
  value: string,
  toolchain?: string,
): GoEnvSettingEffect | undefined {
  const setting = goDebugSetting(name);
  if (!setting || value !== setting.old) return undefined;
  const base = {
    name,
    value,
    describe: setting.effect,
    ...(setting.changed && {
      olderDefault: `Go 1.${setting.changed - 1} and older do this without the setting`,
    }),
  };
  switch (name) {
    case 'x509sha1':
      return {
        ...base,
        effect: LOOSENING[name]!,
        ...(toolchain === undefined
          ? { condition: 'built with Go 1.23 or older (Go 1.24 removed x509sha1)' }
          : !readsX509sha1(toolchain) && {
              ignoredBy: `Go ${toolchain} removed x509sha1 (Go 1.24)`,
            }),
      };
    case 'tlssha1':
    case 'tlsunsafeekm':
      return { ...base, effect: LOOSENING[name]! };
    case 'tls10server':
      // Before Go 1.22 a server's default floor was TLS 1.0 anyway: the effect holds for all.
      return {
        ...base,
        effect: { kind: 'default-floor', role: 'server', protocols: ALL_PROTOCOLS },
      };
    case 'tls10default':
      return {
        ...base,
        effect: { kind: 'default-floor', role: 'client', protocols: ALL_PROTOCOLS },
        ...(toolchain === undefined
          ? { condition: 'built with Go 1.18 (the only release that reads tls10default)' }
          : minor(toolchain) !== 18 && {
              ignoredBy: `Go ${toolchain} does not read tls10default (Go 1.18 only)`,
            }),
      };
    case 'tlsrsakex':
    case 'tls3des': {
      // The suites the setting adds to Go's newest defaults (where both are off).
      const without = new Set(goDefaultCipherSuites('1.24'));
      const added = goDefaultCipherSuites('1.24', new Map([[name, { value, source: '' }]])).filter(
        (s) => !without.has(s),
      );
      return { ...base, effect: { kind: 'default-suites', suites: added } };
    }
  }
  return undefined;
}
