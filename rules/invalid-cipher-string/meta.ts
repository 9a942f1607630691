import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'invalid-cipher-string',
  title: "Cipher string the platform rejects or silently half-ignores",
  category: 'cipher',
  defaultSeverity: 'error',
  cwe: [327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: 'the probe sees handshakes fail or suites missing',
  fixable: false,
};
