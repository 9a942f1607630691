/**
 * The one finding confirm mode makes without a rule: the endpoint serves another certificate than
 * the one its configuration names (a `live-only` finding). Kept apart from the confirm logic so
 * the reporters can name it without loading the probe.
 */
import { OWASP_CRYPTO, type RuleMeta } from '../engine/rule-api.js';

export const CONFIG_DRIFT_META: RuleMeta = {
  id: 'config-drift',
  title: 'The running endpoint does not use the configuration (another certificate is served)',
  category: 'certificate',
  defaultSeverity: 'warning',
  cwe: [1188],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['served-certificate'],
    how: 'the probe compares the served leaf certificate with the configured file',
  },
  fixable: false,
};
