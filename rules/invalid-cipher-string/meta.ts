import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'invalid-cipher-string',
  title: 'Cipher string the platform rejects or silently half-ignores',
  category: 'cipher',
  defaultSeverity: 'error',
  cwe: [327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    notObservable:
      'what the platform does with the string shows up as the suites it accepts, which the suite rules confirm',
  },
  fixable: false,
};
