import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'insecure-renegotiation',
  title: 'The peer may renegotiate the TLS session',
  category: 'protocol',
  defaultSeverity: 'warning',
  cwe: [757],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    notObservable:
      'it is a client setting (the server asks to renegotiate, the client agrees); a probe of the server does not show it',
  },
  fixable: false,
};
