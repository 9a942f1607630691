/**
 * Go `tls.Config.CipherSuites` (docs/platform-facts.md#go): constant names (legacy aliases too), TLS 1.3
 * not configurable, order ignored since Go 1.17.
 */
import { versionAtLeast, type Targets } from '../../config/targets.js';
import type { CipherSpec } from '../../model/context.js';
import { quoteList, type ResolvedCiphers } from '../cipher-resolution.js';
import { suiteByAnyName, suiteByGoName } from '../cipher-suites.js';

export function resolveGo(
  spec: CipherSpec,
  targets: Targets,
  out: ResolvedCiphers,
): ResolvedCiphers {
  const items = spec.items?.map((i) => i.text) ?? spec.text.split(/[\s,]+/).filter(Boolean);
  out.tls13 = [0x1301, 0x1302, 0x1303].map((c) => ({
    suite: suiteByAnyName(`0x${c.toString(16)}`)!,
  }));
  out.orderIgnored = versionAtLeast(targets.version('go'), '1.17');
  const tls13Named: string[] = [];
  for (const item of items) {
    const suite = suiteByGoName(item) ?? suiteByAnyName(item.replace(/^tls\./, ''));
    if (!suite) {
      out.unknownTokens.push(item);
      continue;
    }
    if (suite.tls13) {
      tls13Named.push(item);
      continue;
    }
    if (!out.suites.some((s) => s.suite === suite)) out.suites.push({ suite, token: item });
  }
  if (out.unknownTokens.length) {
    out.problems.push({
      kind: 'unknown-go-name',
      effect: 'refused',
      tokens: [...out.unknownTokens],
      message: `${quoteList(out.unknownTokens)} ${out.unknownTokens.length === 1 ? 'is not a' : 'are not'} Go crypto/tls cipher suite constant${out.unknownTokens.length === 1 ? '' : 's'}`,
    });
  }
  if (tls13Named.length) {
    out.problems.push({
      kind: 'go-tls13-not-configurable',
      effect: 'note',
      tokens: tls13Named,
      message: `${quoteList(tls13Named)} in CipherSuites ${tls13Named.length === 1 ? 'has' : 'have'} no effect: Go's TLS 1.3 suites are not configurable`,
    });
  }
  return out;
}
