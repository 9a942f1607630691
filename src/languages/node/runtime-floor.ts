/**
 * The runtime floor of a package: `engines.node` in package.json. A range that admits Node
 * versions past their upstream end of life whose defaults enable TLS 1.0 and 1.1 (Node < 11.4;
 * the support table is config/node-releases.ts) is one project-level context at the
 * `engines.node` line, with those defaults; each call site is then judged on the oldest
 * supported version the range admits (config/detect.ts), so the old defaults are said once.
 * A target given on the command line (`--target node=6`) is the user's choice: no such context.
 */
import { nodeRangeSupport, OLDEST_SUPPORTED_NODE } from '../../config/node-releases.js';
import type { Targets } from '../../config/targets.js';
import { newContext, type TlsContext } from '../../model/context.js';
import { PROTOCOL_DISPLAY, protocolRange, protocolRank } from '../../model/protocol.js';
import { byDefault } from '../../model/setting.js';
import { lineColumnAt } from './json-strings.js';
import { nodeProtocolDefaults } from './protocols.js';

const ENGINES_NODE = /"engines"\s*:\s*\{[^{}]*?("node"\s*:\s*"((?:[^"\\]|\\.)*)")/;

export function runtimeFloorContext(
  file: string,
  text: string,
  id: string,
  targets: Targets | undefined,
): TlsContext | undefined {
  // The text first: the project's targets are looked at only for a range worth a context.
  const m = ENGINES_NODE.exec(text);
  if (!m) return undefined;
  const range = m[2]!;
  const support = nodeRangeSupport(range);
  if (!support || support.unsupportedLines.length === 0) return undefined;
  const floor = support.lowest;
  const defaults = nodeProtocolDefaults(floor);
  if (protocolRank(defaults.min) >= protocolRank('TLSv1.2')) return undefined;
  if (!targets || targets.get('node').source !== 'detected') return undefined;
  const start = m.index + m[0].length - m[1]!.length;
  const a = lineColumnAt(text, start);
  const b = lineColumnAt(text, start + m[1]!.length);
  const at = { file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  const versions = protocolRange(defaults.min, defaults.max);
  const weak = versions
    .filter((v) => protocolRank(v) < protocolRank('TLSv1.2'))
    .map((v) => PROTOCOL_DISPLAY[v]);
  const suggested =
    support.oldestSupported !== undefined
      ? `>=${OLDEST_SUPPORTED_NODE}`
      : `>=${OLDEST_SUPPORTED_NODE} (the range admits no line in upstream support)`;
  return newContext({
    id,
    language: 'node',
    role: 'either',
    at,
    enabledAt: at,
    label: `the Node.js versions "engines.node" admits ("${range}")`,
    api: 'engines.node',
    recognition: 'known-api',
    scope: 'process',
    tlsLibrary: 'bundled-openssl',
    protocols: byDefault(
      versions,
      `it admits Node ${floor}, past its end of life, whose default minVersion "${defaults.minName}" enables ${weak.join(' and ')} in every TLS server and client without one`,
      'engines.node',
    ),
    notes: { protocolsFix: `raise the floor: "engines.node": "${suggested}"` },
  });
}
