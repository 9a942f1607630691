import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'certificate-validity',
  title: 'Certificate expired, not yet valid, or expiring soon',
  category: 'certificate',
  defaultSeverity: 'error',
  cwe: [298],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['served-certificate'],
    how: 'the probe sees the validity window of the served certificate',
  },
  fixable: false,
};
