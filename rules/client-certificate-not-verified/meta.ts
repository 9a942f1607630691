import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'client-certificate-not-verified',
  title: 'A client certificate is asked for but not verified against a CA',
  category: 'client-auth',
  defaultSeverity: 'error',
  cwe: [295],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['client-certificate-verification'],
    how: 'a handshake (and HTTP request) with an untrusted self-signed client certificate succeeds',
  },
  fixable: false,
};
