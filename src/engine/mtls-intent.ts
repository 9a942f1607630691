/**
 * When do the client-certificate rules apply to a server? (`--mtls auto|required|off`)
 *
 * - `off`: never.
 * - `required`: every server context.
 * - `auto`: where the server shows it means mutual TLS: a client CA is configured, or client
 *   certificates are requested at all (in some branch).
 */
import type { Policy } from '../config/policy.js';
import type { TlsContext } from '../model/context.js';
import { knownValues } from '../model/setting.js';

export interface MtlsIntent {
  applies: boolean;
  /** Why, for messages: `a client CA is configured ("ca")`, `--mtls required`. */
  because: string;
  /** What showed the intent: the policy, a configured client CA, or the request itself. */
  source?: 'policy' | 'client-ca' | 'client-auth';
}

export function mtlsIntent(context: TlsContext, policy: Policy): MtlsIntent {
  if (context.role !== 'server' || policy.mtls === 'off') return { applies: false, because: '' };
  if (policy.mtls === 'required')
    return {
      applies: true,
      because: policy.mtlsBecause ?? 'the policy requires mutual TLS (--mtls required)',
      source: 'policy',
    };
  if (knownValues(context.clientCa).includes(true)) {
    // Seen from outside, a CA is not "configured": the endpoint shows it trusts one.
    if (context.clientCa?.origin === 'observed')
      return {
        applies: true,
        because: 'the endpoint asks for client certificates from a CA of its own',
        source: 'client-ca',
      };
    const key =
      context.clientCa && 'key' in context.clientCa && context.clientCa.key
        ? ` ("${context.clientCa.key}")`
        : '';
    return { applies: true, because: `a client CA is configured${key}`, source: 'client-ca' };
  }
  if (knownValues(context.clientAuth).some((m) => m !== 'none')) {
    return { applies: true, because: 'client certificates are requested', source: 'client-auth' };
  }
  return { applies: false, because: '' };
}
