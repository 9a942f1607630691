/**
 * A gap in `ssl_protocols` (`TLSv1 TLSv1.2 TLSv1.3`: TLS 1.1 left out) meets OpenSSL's server
 * sanity check (1.1.1 and later, `tls_setup_handshake`): before every handshake it asks for at
 * least one enabled cipher usable with the highest version of the lowest contiguous range of
 * enabled versions — TLS 1.0 here, since versions above a gap do not count. A cipher list with only
 * TLS 1.2 suites (AEAD, SHA-256/384) has none: nginx logs "no ciphers available" and every
 * handshake fails, TLS 1.2 and 1.3 included (verified with nginx and OpenSSL 3.0). This is the
 * platform's behaviour, not a judgement: the rule `invalid-protocol-range` reports it.
 */
import type { Targets } from '../../config/targets.js';
import { opensslFamilyForPlatform, resolveCipherSpec } from '../../crypto/cipher-spec.js';
import type { ProtocolFailure, TlsContext } from '../../model/context.js';
import {
  PROTOCOL_DISPLAY,
  PROTOCOL_VERSIONS,
  protocolRank,
  type ProtocolVersion,
} from '../../model/protocol.js';
import { knownAlternatives } from '../../model/setting.js';

/** The highest version of the contiguous run that starts at the lowest enabled version. */
function contiguousTop(set: readonly ProtocolVersion[]): ProtocolVersion | undefined {
  const enabled = new Set(set);
  const order = PROTOCOL_VERSIONS.filter((v) => v !== 'SSLv2');
  const start = order.findIndex((v) => enabled.has(v));
  if (start < 0) return undefined;
  let top = start;
  while (top + 1 < order.length && enabled.has(order[top + 1]!)) top++;
  return order[top];
}

export function protocolHoleFailure(
  ctx: TlsContext,
  targets: Targets,
): ProtocolFailure | undefined {
  const protocols = ctx.protocols;
  const ciphers = ctx.ciphers;
  if (
    !protocols ||
    !ciphers ||
    protocols.origin === 'conditional' ||
    protocols.origin === 'unknown' ||
    protocols.origin === 'observed'
  )
    return undefined;
  if (
    ciphers.origin === 'conditional' ||
    ciphers.origin === 'unknown' ||
    ciphers.origin === 'observed'
  )
    return undefined;
  const set = protocols.value;
  // SSL versions are not built into OpenSSL ≥1.1.0 by default: how they count is not checked here.
  if (set.some((v) => v === 'SSLv2' || v === 'SSLv3')) return undefined;
  const top = contiguousTop(set);
  const highest = set.reduce<ProtocolVersion | undefined>(
    (a, v) => (!a || protocolRank(v) > protocolRank(a) ? v : a),
    undefined,
  );
  if (!top || !highest || top === highest || top === 'TLSv1.3') return undefined;
  const family = opensslFamilyForPlatform('nginx', targets);
  if (family === '1.0.2') return undefined;
  const resolved = resolveCipherSpec(ciphers.value, targets, { platform: 'nginx' });
  if (
    resolved.refused ||
    resolved.suites.some(
      (r) => !r.suite.tls13 && protocolRank(r.suite.minProtocol) <= protocolRank(top),
    )
  )
    return undefined;
  const [list] = knownAlternatives(ciphers);
  const cipherText =
    list?.origin === 'default'
      ? `nginx's default "ssl_ciphers ${ciphers.value.text}"`
      : `"${ciphers.key ?? 'ssl_ciphers'} ${ciphers.value.text}"`;
  const gap = PROTOCOL_VERSIONS.filter(
    (v) =>
      protocolRank(v) > protocolRank(top) &&
      protocolRank(v) < protocolRank(highest) &&
      !set.includes(v),
  );
  return {
    kind: 'empty',
    when: 'handshake',
    key: protocols.key ?? 'ssl_protocols',
    written: `"${protocols.key ?? 'ssl_protocols'} ${'raw' in protocols && protocols.raw ? protocols.raw : set.join(' ')}" with ${cipherText}`,
    failure: `${gap.map((v) => PROTOCOL_DISPLAY[v]).join(' and ')} ${gap.length === 1 ? 'is' : 'are'} not enabled, so OpenSSL (${family}) counts only ${PROTOCOL_DISPLAY[top]} and below before each handshake, and the cipher list has no suite usable with ${PROTOCOL_DISPLAY[top]} (only TLS 1.2 suites): nginx logs "no ciphers available"`,
    at: 'at' in protocols ? protocols.at : (ctx.enabledAt ?? ctx.at),
  };
}
