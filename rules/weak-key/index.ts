import { defineRule } from '../../src/engine/rule-api.js';
import { checkWeakCurves } from './curves.js';
import { checkWeakMaterial } from './material.js';
import { meta } from './meta.js';

/**
 * Two halves with one id: configured key-exchange curves (`ecdhCurve`, `ssl_ecdh_curve`) and the
 * keys/DH groups found in certificate, key and DH-parameter files.
 */
export const rule = defineRule({
  meta,
  check: (context, env) => [...checkWeakCurves(context, env), ...checkWeakMaterial(context, env)],
});
