import { suiteRefusal } from '../../src/crypto/security-level.js';
import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'insecure-cipher-suite',
  title: 'NULL, EXPORT, anonymous, RC4, DES, 3DES or MD5 cipher suites can be negotiated',
  category: 'cipher',
  defaultSeverity: 'error',
  cwe: [327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['cipher-suites'],
    how: 'the probe completes a handshake with the suite',
    refusal: suiteRefusal,
  },
  fixable: false,
};
