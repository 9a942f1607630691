import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'weak-signature-algorithm',
  title: 'Certificate signed with MD5 or SHA-1',
  category: 'certificate',
  defaultSeverity: 'error',
  cwe: [327, 328],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['served-certificate'],
    how: 'the probe sees the signature algorithm of the served chain',
  },
  fixable: false,
};
