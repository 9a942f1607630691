/**
 * The deprecated, removed or no-op TLS APIs and settings this rule knows, keyed by the feature
 * ids that readers record (`FeatureUse.feature`). Readers state facts ("secureProtocol is used");
 * this table says why that is a problem and what to use instead.
 */
import { versionAtLeast, type TargetPlatform } from '../../src/config/targets.js';
import type { Targets } from '../../src/config/targets.js';
import type { Severity } from '../../src/model/finding.js';
import type { TlsContext } from '../../src/model/context.js';
import { PROTOCOL_DISPLAY, protocolRank } from '../../src/model/protocol.js';
import { knownAlternatives } from '../../src/model/setting.js';

export interface Deprecation {
  /** What is wrong, with the value as written in `detail` when known. */
  describe(detail: string | undefined, targets: Targets, context: TlsContext): string;
  /** What to use instead. */
  instead: string;
  /** The target version the judgement rests on, when it depends on one (`target nginx 1.25.3`). */
  evidence?(targets: Targets): string | undefined;
  /** Severity; e.g. an error once the target version has removed the API. */
  severity?(targets: Targets): Severity;
  /** The use is a call of its own, named by `describe` (no "in <options>" to add). */
  isCall?: boolean;
}

function removedIn(platform: TargetPlatform, version: string) {
  return (targets: Targets): Severity =>
    versionAtLeast(targets.version(platform), version) ? 'error' : 'warning';
}

export const DEPRECATIONS: Readonly<Record<string, Deprecation>> = {
  'node.secureProtocol': {
    describe: (d, t, context) =>
      `"secureProtocol"${d ? ` (${quote(d)})` : ''} is a legacy option that ${secureProtocolEffect(context, versionAtLeast(t.version('node'), '12'))}`,
    instead: 'minVersion: "TLSv1.2" (and maxVersion only if you must)',
  },
  'node.createSecurePair': {
    describe: () => 'tls.createSecurePair() is deprecated (DEP0064)',
    isCall: true,
    instead: 'new tls.TLSSocket(socket, options)',
  },
  'node.createCredentials': {
    describe: () => 'crypto.createCredentials() was removed in Node.js 11 (DEP0010)',
    isCall: true,
    instead: 'tls.createSecureContext(options)',
    severity: () => 'error',
  },
  'nginx.ssl-on': {
    describe: (_d, t) =>
      `"ssl on" is obsolete since nginx 1.15.0 and was removed in 1.25.1${versionAtLeast(t.version('nginx'), '1.25.1') ? ` (nginx ${t.version('nginx')} refuses to start)` : ''}`,
    instead: 'the "ssl" parameter of the listen directive ("listen <port> ssl")',
    severity: removedIn('nginx', '1.25.1'),
    evidence: (t) => targetVersion(t, 'nginx'),
  },
  'go.tlsunsafeekm': {
    describe: (d) =>
      `GODEBUG ${d ?? 'tlsunsafeekm=1'} brings back what Go 1.22 removed as unsafe: ConnectionState.ExportKeyingMaterial on connections with neither TLS 1.3 nor Extended Master Secret, whose exported keys a man in the middle can make equal on two connections (RFC 7627)`,
    instead: 'TLS 1.2 peers with Extended Master Secret or TLS 1.3, and remove tlsunsafeekm',
  },
  'go.PreferServerCipherSuites': {
    describe: () =>
      'PreferServerCipherSuites has no effect since Go 1.17 (Go orders suites itself)',
    instead: 'nothing: remove the field',
  },
  'python.wrap_socket': {
    describe: () => 'ssl.wrap_socket() is deprecated since Python 3.7 and removed in 3.12',
    isCall: true,
    instead: 'ssl.create_default_context().wrap_socket(sock, server_hostname=...)',
    severity: removedIn('python', '3.12'),
    evidence: (t) => targetVersion(t, 'python'),
  },
  'python.protocol-constant': {
    describe: (d) => `${d ?? 'This ssl.PROTOCOL_* constant'} is deprecated since Python 3.10`,
    instead: 'ssl.PROTOCOL_TLS_CLIENT or ssl.PROTOCOL_TLS_SERVER with minimum_version',
  },
  'python.aiohttp-verify-ssl': {
    describe: (d) =>
      `aiohttp's "verify_ssl"${d ? ` (${quote(d)})` : ''} is deprecated since aiohttp 3.0`,
    instead: 'ssl= (an ssl.SSLContext, or the default True)',
  },
  'python.aiohttp-ssl-context': {
    describe: (d) =>
      `aiohttp's "ssl_context"${d ? ` (${quote(d)})` : ''} is deprecated since aiohttp 3.0`,
    instead: 'ssl=<an ssl.SSLContext>',
  },
  'envoy.v2-tls-context': {
    describe: () => 'the v2 "tls_context" field is gone in the Envoy v3 API',
    instead:
      'a transport_socket named envoy.transport_sockets.tls with a v3 UpstreamTlsContext/DownstreamTlsContext',
    severity: () => 'error',
  },
  'envoy.v2-api': {
    describe: (d) => `${d ?? 'this field'} is Envoy v2 API, removed in Envoy 1.18 (v3 only)`,
    instead:
      'the v3 spelling (type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.*, typed_config, match_typed_subject_alt_names)',
    severity: removedIn('envoy', '1.18'),
    evidence: (t) => targetVersion(t, 'envoy'),
  },
  'envoy.match_subject_alt_names': {
    describe: () =>
      '"match_subject_alt_names" is deprecated in the Envoy v3 API (ignored when match_typed_subject_alt_names is set)',
    instead: 'match_typed_subject_alt_names with a san_type (DNS, URI, EMAIL, IP_ADDRESS)',
  },
};

/** The version the severity was judged for, and why that one: `target nginx 1.25.3 (--target nginx=1.25.3)`. */
function targetVersion(targets: Targets, platform: TargetPlatform): string {
  const t = targets.get(platform);
  return `target ${platform} ${t.version} (${t.source === 'assumed' ? `assumed; --target ${platform}=<version> sets it` : t.reason})`;
}

function quote(s: string): string {
  return /^["']/.test(s) ? s : `"${s}"`;
}

/**
 * What a secureProtocol method does to the versions, from the set the reader derived from it:
 * one version pinned, or a range without TLS 1.3.
 */
function secureProtocolEffect(context: TlsContext, speaksTls13: boolean): string {
  const generic = 'selects a protocol method and cannot express a minimum and maximum';
  const sets = knownAlternatives(context.protocols).filter((a) => a.key === 'secureProtocol');
  if (sets.length !== 1) return generic;
  const versions = sets[0]!.value;
  if (versions.length === 0) return generic;
  const top = versions[versions.length - 1]!;
  const withoutTls13 =
    speaksTls13 && protocolRank(top) < protocolRank('TLSv1.3') ? ' and disables TLS 1.3' : '';
  if (versions.length === 1) return `pins ${PROTOCOL_DISPLAY[top]} alone${withoutTls13}`;
  return `allows ${PROTOCOL_DISPLAY[versions[0]!]} to ${PROTOCOL_DISPLAY[top]}${withoutTls13}, and cannot express a minimum and maximum`;
}
