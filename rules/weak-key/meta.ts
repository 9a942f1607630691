import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'weak-key',
  title: 'Key, DH group or curve below 2048-bit RSA/DH or 224-bit EC strength',
  category: 'key',
  defaultSeverity: 'error',
  cwe: [326],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['served-certificate', 'dh-group', 'key-exchange-groups'],
    how: 'the probe sees the served key size, DH group or curve',
  },
  fixable: false,
};
