/**
 * The confirm-mode parts of the reports: the mark and words for each probe status, the counts at
 * the end of the stylish report, and the SARIF result properties.
 */
import { plural } from '../engine/rule-helpers.js';
import {
  PROBE_STATUSES,
  type Finding,
  type ProbeStatus,
  type ProbeVerdict,
} from '../model/finding.js';
import type { EndpointReport } from '../confirm/index.js';
import type { Palette } from './colors.js';
import { escapeControl } from './escape.js';

export { CONFIG_DRIFT_META } from '../confirm/meta.js';

const PROBE_MARKS: Record<ProbeStatus, string> = {
  confirmed: '✓',
  refuted: '✗',
  inconclusive: '?',
  'not-probed': '–',
  'live-only': '!',
};

const WORDS: Record<ProbeStatus, string> = {
  confirmed: 'confirmed',
  refuted: 'refuted',
  inconclusive: 'inconclusive',
  'not-probed': 'not probed',
  'live-only': 'live only',
};

function colour(status: ProbeStatus, text: string, c: Palette): string {
  switch (status) {
    case 'confirmed':
    case 'live-only':
      return c.red(text);
    case 'refuted':
      return c.blue(text);
    case 'inconclusive':
      return c.yellow(text);
    default:
      return c.dim(text);
  }
}

/** The mark before a finding's message. */
export function probeMark(p: ProbeVerdict | undefined, c: Palette): string {
  return p ? `${colour(p.status, PROBE_MARKS[p.status], c)} ` : '';
}

/** The line under a finding: `✗ refuted on 127.0.0.1:8443 (SNI "a"): TLS 1.0 refused: …`. */
export function probeLine(p: ProbeVerdict, c: Palette): string {
  const where =
    p.endpoint && !p.endpoints ? ` on ${p.endpoint}${p.sni ? ` (SNI "${p.sni}")` : ''}` : '';
  // Evidence quotes what a remote server sent (names, CA names): never raw to a terminal.
  return `          ${colour(p.status, `${PROBE_MARKS[p.status]} ${WORDS[p.status]}`, c)}${c.dim(escapeControl(`${where}: ${p.evidence}`))}`;
}

/** `Confirm: 2 ✓ confirmed, 1 ✗ refuted, … — 3 endpoints probed, 1 could not be (127.0.0.1:9: …)`. */
export function confirmSummary(
  findings: readonly Finding[],
  endpoints: readonly EndpointReport[],
  c: Palette,
): string {
  const counts = PROBE_STATUSES.map(
    (s) => [s, findings.filter((f) => f.probe?.status === s).length] as const,
  );
  const parts = counts.map(([s, n]) => colour(s, `${n} ${PROBE_MARKS[s]} ${WORDS[s]}`, c));
  const untested = endpoints.filter((e) => !e.tested);
  const tail = untested.length
    ? `; ${untested.length} could not be tested, their findings are inconclusive (${untested.map((e) => `${e.endpoint}: ${e.error ?? 'not tested'}`).join('; ')})`
    : '';
  return `Confirm: ${parts.join(', ')} — ${plural(endpoints.length, 'endpoint')} probed${escapeControl(tail)}`;
}

/** SARIF result properties: the status where code-scanning filters can use it. */
export function probeProperties(p: ProbeVerdict): Record<string, unknown> {
  return {
    probeStatus: p.status,
    ...(p.endpoint !== undefined && { probeEndpoint: p.endpoint }),
    ...(p.sni !== undefined && { probeSni: p.sni }),
    probeEvidence: p.evidence,
    ...(p.endpoints && { probeEndpoints: p.endpoints }),
  };
}
