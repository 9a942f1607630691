import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'hostname-verification-disabled',
  title: "The peer's certificate is not matched against the expected host name",
  category: 'verification',
  defaultSeverity: 'error',
  cwe: [297],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: { notObservable: "it is about a TLS client's checks of the server name, which no connection to an endpoint can see" },
  fixable: false,
};
