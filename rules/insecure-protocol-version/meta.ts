import { protocolRefusal } from '../../src/crypto/security-level.js';
import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'insecure-protocol-version',
  title: 'SSL 2.0/3.0, TLS 1.0 or TLS 1.1 can be negotiated',
  category: 'protocol',
  defaultSeverity: 'error',
  cwe: [327, 757],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    observes: ['protocols'],
    how: 'the probe completes a handshake at the old version',
    refusal: protocolRefusal,
  },
  fixable: false,
};
