import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: 'certificate-verification-disabled',
  title: "The peer's certificate chain is not verified",
  category: 'verification',
  defaultSeverity: 'error',
  cwe: [295],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  probe: {
    notObservable:
      "it is about a TLS client's checks of the server it connects to, which no connection to an endpoint can see",
  },
  fixable: false,
};
