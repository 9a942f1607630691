import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'hostname-verification-disabled',
  title: "The peer's certificate is not matched against the expected host name",
  category: 'verification',
  defaultSeverity: 'error',
  cwe: [297],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  // Client findings are not probed (a TLS client's checks are not visible from outside); on a
  // server, the probe matches the served certificate against the SNI name.
  probe: {
    observes: ['served-certificate'],
    how: 'the probe matches the served certificate against the SNI name it sent',
  },
  fixable: false,
};
