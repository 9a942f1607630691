import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'deprecated-tls-api',
  title: 'Deprecated or no-op TLS API or setting',
  category: 'api',
  defaultSeverity: 'warning',
  cwe: [477],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    notObservable: 'it is about the API or directive used, which is not visible on the wire',
  },
  fixable: false,
};
