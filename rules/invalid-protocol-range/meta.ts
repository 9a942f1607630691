import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'invalid-protocol-range',
  title: 'Protocol settings the platform refuses or that leave no version to negotiate',
  category: 'protocol',
  defaultSeverity: 'error',
  cwe: [1188],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['handshakes'],
    how: 'every handshake fails (no protocols available / protocol version alert)',
  },
  fixable: false,
};
