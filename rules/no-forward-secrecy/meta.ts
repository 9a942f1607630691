import { suiteRefusal } from '../../src/crypto/security-level.js';
import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'no-forward-secrecy',
  title: 'Static RSA or static DH key exchange can be negotiated',
  category: 'cipher',
  defaultSeverity: 'warning',
  cwe: [327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['cipher-suites'],
    how: 'the probe completes a handshake with a static-RSA/DH suite',
    refusal: suiteRefusal,
  },
  fixable: false,
};
