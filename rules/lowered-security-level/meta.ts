import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'lowered-security-level',
  title: "A cipher string lowers OpenSSL's security level to 0",
  category: 'cipher',
  defaultSeverity: 'warning',
  cwe: [326, 327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    notObservable:
      'the level shows only in what a handshake refuses (old versions, small keys, SHA-1 signatures); the probe reports those under their own rules',
  },
  fixable: false,
};
