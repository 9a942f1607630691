import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'self-signed-certificate',
  title: 'Server certificate is self-signed',
  category: 'certificate',
  defaultSeverity: 'warning',
  cwe: [295],
  owasp: [...OWASP_CRYPTO],
  precision: 'medium',
  probe: {
    observes: ['served-certificate'],
    how: 'the probe sees a self-signed served certificate',
  },
  fixable: false,
};
