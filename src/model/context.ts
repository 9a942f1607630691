import type { SourceRange } from './location.js';
import type { ProtocolVersion } from './protocol.js';
import type { KnownSetting, Setting } from './setting.js';

/** The input languages/formats tls-lint reads. Also the `language` field of findings. */
/** `markdown`: the reader of code blocks in documents (its findings keep the block's own language). */
export type Language =
  | 'node'
  | 'nginx'
  | 'envoy'
  | 'go'
  | 'python'
  | 'apache'
  | 'haproxy'
  | 'env'
  | 'probe'
  | 'markdown';

/** Which side of the handshake a context configures. `either` = a Node secure context. */
export type TlsRole = 'server' | 'client' | 'either';

/**
 * How sure the adapter is that this object really configures TLS:
 * - `known-api`: a TLS API of the platform (`tls.createServer`, nginx `server{}` with `listen ssl`)
 * - `library`: a library known to pass the options to TLS (`pg.Pool({ssl})`, nodemailer `tls`)
 * - `heuristic`: an object that merely carries a TLS option name into an unknown callee
 */
export type Recognition = 'known-api' | 'library' | 'heuristic';

/** Cipher configuration as written, in the syntax of the platform that reads it. */
export interface CipherSpec {
  /**
   * Whose parser reads `text`:
   * - `openssl`: an OpenSSL cipher string for TLS ≤1.2 (nginx `ssl_ciphers`, Python `set_ciphers`)
   * - `node`: Node `ciphers` (split on `:`, `TLS_*` tokens go to TLS 1.3)
   * - `openssl-tls13`: an OpenSSL TLS 1.3 ciphersuites list (nginx `ssl_conf_command Ciphersuites`)
   * - `go`: Go cipher suite constant names, one per list element
   * - `boringssl`: Envoy `cipher_suites` (BoringSSL names, `[a|b]` groups)
   * - `suites`: an exact list of suites by IANA name (what the probe saw accepted)
   */
  syntax: 'openssl' | 'node' | 'openssl-tls13' | 'go' | 'boringssl' | 'suites';
  text: string;
  /** For list-valued configs (Go, Envoy): the items with their own locations. */
  items?: Array<{ text: string; at?: SourceRange }>;
}

/** Who must present a certificate to a server. */
export type ClientAuthMode = 'none' | 'optional' | 'required';

/**
 * What the server does with a client certificate that was presented:
 * - `ca`: verified against configured/system CAs
 * - `any`: accepted whatever it is (no chain check)
 * - `external`: accepted when only the chain is untrusted; meant to be checked elsewhere
 *   (nginx `optional_no_ca`)
 */
export type ClientVerifyMode = 'ca' | 'any' | 'external';

/** A certificate, key or DH-parameter file (or inline PEM) that a config references. */
export interface MaterialRef {
  purpose:
    | 'server-certificate'
    | 'server-key'
    | 'client-certificate'
    | 'client-key'
    | 'client-ca'
    | 'trusted-ca'
    | 'dhparam'
    | 'pfx';
  /** Absolute path when the reference is a file the linter could resolve. */
  path?: string;
  /** The path as written in the config. */
  written?: string;
  /** Inline PEM text (Node `cert: '-----BEGIN…'`, Envoy `inline_string`). */
  inline?: string;
  at: SourceRange;
  /** The directive/option that names it, for messages: `ssl_certificate`, `cert`. */
  key: string;
  /** `endpoint`: sent by a live server (the probe), `written` then names the endpoint, not a file. */
  source?: 'endpoint';
  /**
   * What the file holds, filled in by the material loader (src/crypto) before rules run, or by
   * the probe from the served chain. Undefined when not loaded (missing file, run-time value).
   */
  summary?: MaterialSummary;
}

/** Facts read from a certificate/key/DH file. Rules judge these; they never read files. */
export interface MaterialSummary {
  kind: 'certificates' | 'private-key' | 'dh-params' | 'unreadable';
  /** In file order (leaf first for a chain file). */
  certificates?: CertificateSummary[];
  key?: KeySummary;
  /** Prime size of DH parameters. */
  dhBits?: number;
  /** Why the file could not be read/parsed (`unreadable`). */
  error?: string;
  /** `unreadable` because tls-lint does not read this form (an encrypted key, PKCS#12), not because it is broken. */
  unsupported?: boolean;
}

export interface KeySummary {
  type:
    | 'rsa'
    | 'rsa-pss'
    | 'dsa'
    | 'ec'
    | 'ed25519'
    | 'ed448'
    | 'x25519'
    | 'x448'
    | 'dh'
    | 'unknown';
  bits: number;
  /** Named curve for EC keys: `prime256v1`, `secp384r1`, `secp192r1`. */
  curve?: string;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** Issuer equals subject and the signature verifies with the certificate's own key. */
  selfSigned: boolean;
  isCA: boolean;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  key: KeySummary;
  /** OpenSSL-style name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA1`. */
  signatureAlgorithm: string;
  /** Hash of the signature, lower-case: `md5`, `sha1`, `sha256`; undefined for EdDSA. */
  signatureHash?: string;
  subjectAltNames: string[];
  fingerprint256: string;
}

/** A platform feature used by the config, as a fact. Rules decide whether it is deprecated/weak. */
export interface FeatureUse {
  /** Namespaced id: `node.secureProtocol`, `node.createSecurePair`, `nginx.ssl-on`, `go.PreferServerCipherSuites`. */
  feature: string;
  at: SourceRange;
  /** The value or text as written, for messages. */
  detail?: string;
}

/** A protocol setting that cannot work on the platform (see {@link TlsContext.protocolFailures}). */
export interface ProtocolFailure {
  /** `refused`: the platform rejects the value itself; `empty`: accepted, but no version is left. */
  kind: 'refused' | 'empty';
  /** `start-up`: the process throws or the server refuses its configuration; `handshake`: every handshake fails. */
  when: 'start-up' | 'handshake';
  /** What the platform does, in its own words: `Node throws ERR_TLS_INVALID_PROTOCOL_METHOD "SSLv3 methods disabled"`. */
  failure: string;
  /** What was written, for messages: `secureProtocol "SSLv3_method"`, `maxVersion "TLSv1.1" below the default minVersion "TLSv1.2"`. */
  written: string;
  /** The option or directive as written (`secureProtocol`, `maxVersion`, `ssl_protocols`). */
  key: string;
  at: SourceRange;
  /** True when only some branches of a conditional value fail. */
  someBranches?: boolean;
}

/** Where the live endpoint of this context can be reached (for the probe). */
export interface ProbeTarget {
  /** Undefined for a wildcard or port-only listen (confirm mode then uses 127.0.0.1). */
  host?: string;
  port?: number;
  sni?: string;
  /** Where the address is written (nginx `listen`, a Node `listen(port)` call). */
  at?: SourceRange;
}

/**
 * One configured TLS endpoint or client: an nginx `server{}`, a `proxy_ssl_*` client context per
 * location, an Envoy filter chain or cluster, a Node options object at a TLS call, a Go
 * `tls.Config`, a Python `SSLContext`.
 *
 * Every field that configures TLS is a {@link Setting}: it remembers whether it was written,
 * inherited, a platform default for the target version, unknown at lint time, or conditional.
 * A field left `undefined` means "this kind of context has no such setting".
 */
export interface TlsContext {
  /** Stable within a run: `<file>#<n>`. */
  id: string;
  language: Language;
  role: TlsRole;
  /** The whole construct (call expression, `server{}` block); findings about a missing setting point here. */
  at: SourceRange;
  /**
   * Where a finding caused by a *default* should point when that is better than `at`
   * (nginx: the `listen … ssl` that turns TLS on; Node: the call's callee).
   */
  enabledAt?: SourceRange;
  /** Human name for messages: `tls.createServer() options`, `server{} "example.com"`. */
  label: string;
  /** The API or construct, e.g. `tls.createServer`, `https.Agent`, `pg.Pool`, `nginx server`. */
  api: string;
  recognition: Recognition;
  /** Library name when the options pass through a library (`pg`, `nodemailer`). */
  library?: string;

  // --- protocol versions -----------------------------------------------------------------
  /** The set of protocol versions that may be negotiated. */
  protocols?: Setting<ProtocolVersion[]>;
  /**
   * Protocol settings the platform refuses, or that leave no version to negotiate, as the reader
   * knows them from the platform's own behaviour (Node throws for `secureProtocol: 'SSLv3_method'`;
   * `maxVersion: 'TLSv1.1'` alone fails every handshake). `invalid-protocol-range` judges them; a
   * reader that only knows the resulting set leaves `protocols` empty and the rule says the rest.
   */
  protocolFailures?: ProtocolFailure[];

  // --- cipher suites -----------------------------------------------------------------------
  /** TLS ≤1.2 cipher configuration (raw; the crypto module expands it per platform/target). */
  ciphers?: Setting<CipherSpec>;
  /** TLS 1.3 suites where configured separately (nginx `ssl_conf_command Ciphersuites`). */
  tls13Ciphers?: Setting<CipherSpec>;
  /** Key-exchange groups/curves, as written (`ecdhCurve`, `ssl_ecdh_curve`, `ecdh_curves`). */
  curves?: Setting<string[]>;
  /** The server imposes its own cipher order (`honorCipherOrder`, `ssl_prefer_server_ciphers`). */
  serverCipherPreference?: Setting<boolean>;

  // --- server side: client certificates -------------------------------------------------
  /** Whether a client certificate is requested and whether it is mandatory. */
  clientAuth?: Setting<ClientAuthMode>;
  /** What happens to a presented client certificate. */
  clientVerify?: Setting<ClientVerifyMode>;
  /** A CA for client certificates is configured: a strong sign that mTLS is intended. */
  clientCa?: Setting<boolean>;

  // --- client side: server verification -------------------------------------------------
  /** The peer's certificate chain is verified. */
  peerVerification?: Setting<boolean>;
  /** The peer's certificate is matched against the expected host name. */
  hostnameVerification?: Setting<boolean>;
  /** Trust anchors configured for verifying the peer (custom CA). */
  trustedCa?: Setting<boolean>;
  /** SNI name sent (client). */
  serverName?: Setting<string>;

  /**
   * Whether the peer may renegotiate (Go `Renegotiation`, Envoy `allow_renegotiation`):
   * `never`, `once` per connection, or `freely`.
   */
  renegotiation?: Setting<'never' | 'once' | 'freely'>;

  /**
   * Signature hashes accepted from the peer, where a setting changes them (Go GODEBUG
   * `x509sha1=1`, `tlssha1=1`): `certificates` in the peer's certificate chain, `handshake` in
   * TLS 1.2 handshake signatures. Lower-case names as in {@link CertificateSummary.signatureHash}
   * (`sha1`, `sha256`). Undefined: the platform's own set, not stated by the reader.
   */
  peerSignatureHashes?: { certificates?: Setting<string[]>; handshake?: Setting<string[]> };

  // --- material ----------------------------------------------------------------------------
  material: MaterialRef[];

  // --- other facts -------------------------------------------------------------------------
  features: FeatureUse[];
  /** `process`: the setting applies to every TLS connection of the process (an environment variable). */
  scope?: 'process';
  /**
   * The TLS library behind the platform, when the reader knows it: `system-openssl` (nginx,
   * Python, Apache, HAProxy: `--target openssl=…` says which), `bundled-openssl` (Node.js),
   * `boringssl` (Envoy), `go` (crypto/tls).
   */
  tlsLibrary?: 'system-openssl' | 'bundled-openssl' | 'boringssl' | 'go';
  /** Where the running endpoint can be probed, when the config says. */
  target?: ProbeTarget;
  /**
   * Platform-specific explanations an adapter wants shown in messages, keyed by the field they
   * explain (`protocols`: "protocols come from the default server of 0.0.0.0:443";
   * `clientVerify`, `peerVerification`: what the platform does instead). The rule that judges a
   * field appends its note. `protocolsFix` replaces the fix the protocol rule proposes when the
   * target cannot take the usual one; `ciphers` and `ciphersFix` do the same for the cipher
   * suite rules (a GODEBUG that changes Go's default suites). Other keys are documented by the
   * adapter.
   */
  notes?: Record<string, string>;
  /**
   * A cap on the precision of this context's findings, when the reader is unsure the settings
   * are used at all (Node: TLS options on a connection whose URL scheme it does not know).
   */
  precision?: 'low' | 'medium';
  /**
   * TLS settings are written, but nothing the reader sees turns TLS on for them (an nginx
   * server{} with `ssl_*` directives and no `listen … ssl`): they are dead, or the switch is
   * missing. The reader states the fact and why (`reason`, shown with every finding); the engine
   * reports such a context's findings one severity step lower (error → warning → info).
   */
  tlsNotEnabled?: { reason: string };
}

/** The minimal fields a reader must fill; the rest is optional per platform. */
export function newContext(
  init: Pick<TlsContext, 'id' | 'language' | 'role' | 'at' | 'label' | 'api' | 'recognition'> &
    Partial<TlsContext>,
): TlsContext {
  return { material: [], features: [], ...init };
}

/**
 * Where a finding about `setting` points: the place it was written or inherited from; for a
 * platform default or an observation, the construct that turns TLS on.
 */
export function locate(
  setting: Setting<unknown> | KnownSetting<unknown> | undefined,
  context: TlsContext,
): SourceRange {
  if (setting && 'at' in setting && setting.at) return setting.at;
  return context.enabledAt ?? context.at;
}
