import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'client-certificate-not-required',
  title: 'A server that means mutual TLS lets clients in without a certificate',
  category: 'client-auth',
  defaultSeverity: 'error',
  cwe: [295, 306],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['client-certificate-request'],
    how: 'a full handshake (and HTTP request) with no client certificate succeeds',
  },
  fixable: false,
};
