import { suiteRefusal } from '../../src/crypto/security-level.js';
import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'cbc-cipher-suite',
  title: 'CBC-mode (MAC-then-encrypt) cipher suites can be negotiated',
  category: 'cipher',
  defaultSeverity: 'warning',
  cwe: [327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['cipher-suites'],
    how: 'the probe completes a handshake with a CBC suite',
    refusal: suiteRefusal,
  },
  fixable: false,
};
