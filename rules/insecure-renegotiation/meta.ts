import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'insecure-renegotiation',
  title: 'The peer may renegotiate the TLS session',
  category: 'protocol',
  defaultSeverity: 'warning',
  cwe: [757],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  fixable: false,
};
