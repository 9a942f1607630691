/**
 * Environment variables that switch certificate verification off for a whole Python process,
 * checked against the sources (not folklore):
 * - `PYTHONHTTPSVERIFY=0`: PEP 493; Python 2.7.9+'s ssl.py makes `_create_default_https_context`
 *   the unverified factory when it is exactly "0". CPython 3's Lib/ssl.py has no such variable
 *   (only downstream builds such as RHEL's carry the patch), so on a Python 3 target it does not
 *   disable anything: a notice says so.
 * - `CURL_CA_BUNDLE=""`: requests before 2.28.0 (`merge_environment_settings`) took
 *   `REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE` as `verify`, so an empty CURL_CA_BUNDLE (with
 *   REQUESTS_CA_BUNDLE empty or unset) made `verify=""`, i.e. no verification. psf/requests#6074
 *   (2.28.0) added `or verify`, so from 2.28.0 an empty value keeps verification on.
 * - `REQUESTS_CA_BUNDLE=""` never disabled it: `"" or CURL_CA_BUNDLE` falls through to None,
 *   which the session's `verify=True` replaces. Not a switch; not reported.
 * Used by the Python reader (`os.environ[...] = ...`) and the env-file reader (.env, Dockerfile,
 * compose), so the facts live here once.
 */
import { compareVersions, type Targets } from '../../config/targets.js';
import type { SourceRange } from '../../model/location.js';
import { explicit, type Setting } from '../../model/setting.js';

export interface EnvSwitchEffect {
  /** Library the switch belongs to, for the model's `library`. */
  library: string;
  /** Label of the process-wide context. */
  label: string;
  /** The verification setting this assignment makes; undefined when it changes nothing here. */
  peerVerification?: (at: SourceRange, raw: string) => Setting<boolean>;
  /** Why an assignment that looks like a switch is not one for these targets. */
  notice?: string;
}

export const PYTHON_ENV_SWITCHES = [
  'PYTHONHTTPSVERIFY',
  'CURL_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
] as const;

export function processEnvSwitch(
  name: string,
  value: string,
  targets: Targets,
): EnvSwitchEffect | undefined {
  switch (name) {
    case 'PYTHONHTTPSVERIFY': {
      if (value !== '0') return undefined;
      const python = targets.get('python');
      if (compareVersions(python.version, '3') < 0) {
        return {
          library: 'ssl',
          label: `every Python ${python.version} process started with this environment (PYTHONHTTPSVERIFY=0, PEP 493)`,
          peerVerification: (at, raw) => explicit(false, at, 'PYTHONHTTPSVERIFY', raw),
        };
      }
      return {
        library: 'ssl',
        label: 'PYTHONHTTPSVERIFY',
        notice: `PYTHONHTTPSVERIFY=0 disables HTTPS verification only in Python 2.7.9+ (PEP 493) and downstream builds that carry that patch; CPython ${python.version} (${python.reason}) ignores it. Remove it, or lint with --target python=2.7 if this runs on Python 2`,
      };
    }
    case 'CURL_CA_BUNDLE': {
      if (value !== '') return undefined;
      const requests = targets.get('requests');
      if (compareVersions(requests.version, '2.28') < 0) {
        return {
          library: 'requests',
          label: `every requests ${requests.version} call of the process (an empty CURL_CA_BUNDLE becomes verify="" before requests 2.28.0)`,
          peerVerification: (at, raw) =>
            explicit(false, at, 'CURL_CA_BUNDLE', raw === '' ? '""' : raw),
        };
      }
      return {
        library: 'requests',
        label: 'CURL_CA_BUNDLE',
        notice: `An empty CURL_CA_BUNDLE disabled certificate verification only in requests < 2.28.0; requests ${requests.version} (${requests.reason}) keeps verifying. Remove it, or pin the requests version so tls-lint can tell`,
      };
    }
    default:
      return undefined;
  }
}
