/**
 * The one home of which protocol versions a TLS library can negotiate at all, whatever the
 * configuration asks for. A version listed in a config that the library cannot speak is dropped
 * silently by the platform; when nothing else is left, every handshake fails.
 *
 * - OpenSSL 1.1.0 removed SSLv2, and builds it without SSLv3 unless configured with `enable-ssl3`
 *   (checked on OpenSSL 3.0: `openssl s_client -ssl3` is an unknown option; nginx 1.22 with
 *   `ssl_protocols SSLv3;` passes `nginx -t` and then logs "no protocols available" per handshake).
 * - Node's bundled OpenSSL has neither (Node throws for them, docs/platform-facts.md#nodejs).
 * - BoringSSL (Envoy) removed SSLv3 in 2016; Go's crypto/tls removed SSLv3 in Go 1.14.
 */
import { versionAtLeast, type Targets } from '../config/targets.js';
import type { TlsContext } from '../model/context.js';
import type { ProtocolVersion } from '../model/protocol.js';

/**
 * Why the context's TLS library cannot negotiate `version`, or undefined when it can (or when
 * the library is not known: unknown is never reported).
 */
export function unavailableProtocol(
  context: Pick<TlsContext, 'tlsLibrary'>,
  version: ProtocolVersion,
  targets: Targets,
): string | undefined {
  switch (context.tlsLibrary) {
    case 'system-openssl': {
      const openssl = targets.version('openssl');
      if (!versionAtLeast(openssl, '1.1')) return undefined;
      if (version === 'SSLv2')
        return `OpenSSL ${openssl} has no SSL 2.0 (removed in OpenSSL 1.1.0)`;
      if (version === 'SSLv3')
        return `OpenSSL ${openssl} is built without SSL 3.0 (off unless built with enable-ssl3 since OpenSSL 1.1.0)`;
      return undefined;
    }
    case 'bundled-openssl':
      return version === 'SSLv2' || version === 'SSLv3'
        ? `Node's bundled OpenSSL has no ${version === 'SSLv2' ? 'SSL 2.0' : 'SSL 3.0'}`
        : undefined;
    case 'boringssl':
      return version === 'SSLv2' || version === 'SSLv3'
        ? `BoringSSL has no ${version === 'SSLv2' ? 'SSL 2.0' : 'SSL 3.0'}`
        : undefined;
    case 'go': {
      if (version === 'SSLv2') return 'Go crypto/tls has no SSL 2.0';
      if (version === 'SSLv3' && versionAtLeast(targets.version('go'), '1.14'))
        return `Go ${targets.version('go')} has no SSL 3.0 (removed in Go 1.14)`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The versions of `set` the library can negotiate, and why each other one is dropped. */
export function negotiableProtocols(
  context: Pick<TlsContext, 'tlsLibrary'>,
  set: readonly ProtocolVersion[],
  targets: Targets,
): { usable: ProtocolVersion[]; dropped: Array<{ version: ProtocolVersion; why: string }> } {
  const usable: ProtocolVersion[] = [];
  const dropped: Array<{ version: ProtocolVersion; why: string }> = [];
  for (const version of set) {
    const why = unavailableProtocol(context, version, targets);
    if (why) dropped.push({ version, why });
    else usable.push(version);
  }
  return { usable, dropped };
}
