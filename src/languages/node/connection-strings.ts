/**
 * TLS switches inside connection strings and the libpq environment, with each library's own
 * semantics, as read in their sources:
 * - pg, `packages/pg-connection-string/index.js` (`parse`) and `packages/pg/lib/connection-parameters.js`:
 *   any `sslmode` (or `sslcert`/`sslkey`/`sslrootcert`) makes `ssl` an object, which pg ≥ 8
 *   verifies (pg < 8 defaulted `rejectUnauthorized` to false: not modelled, the pg version is not
 *   read). By default `prefer`/`require`/`verify-ca`/`verify-full` all verify fully (with a
 *   deprecation warning for the first three); `no-verify` sets `rejectUnauthorized: false`;
 *   `disable` turns TLS off (plaintext, not a TLS finding). With `uselibpqcompat=true` libpq's
 *   meanings apply: `prefer` and `require` set `rejectUnauthorized: false`, except `require` with
 *   `sslrootcert`, which like `verify-ca` verifies the chain but replaces `checkServerIdentity`
 *   with a no-op (no host name check); `allow` is not mapped (verified). `ssl=no-verify` in the
 *   query, without `sslmode` or certificate files, is `{ rejectUnauthorized: false }` in
 *   `ConnectionParameters`. `PGSSLMODE` (`readSSLConfigFromEnvironment`): only `no-verify`
 *   turns verification off.
 * - mongodb, `src/connection_string.ts`: `tlsInsecure=true` sets `rejectUnauthorized: false`
 *   and a no-op `checkServerIdentity`, `tlsAllowInvalidCertificates=true` the former,
 *   `tlsAllowInvalidHostnames=true` the latter; values are `getBoolean` ("true"/"false", any
 *   case of the option name). `tls=false`/`ssl=false` turn TLS off, so the switches do nothing.
 *   The legacy `sslValidate=false` (driver 3.x/4.x) is the certificate check.
 * - SQL Server, `Key=Value;…` strings (ADO.NET/ODBC style, also Prisma's
 *   `sqlserver://host;…;trustServerCertificate=true` and the tail of ODBC strings for
 *   msnodesqlv8): `TrustServerCertificate` in any case of the key. node-mssql ≥ 8 parses them
 *   with `@tediousjs/connection-string` (`lib/base/connection-pool.js` `_parseConnectionString`;
 *   keys lower-cased, the schema's booleans: "false"/"no"/"0" in any case are false, any other
 *   non-empty value true) and hands `trustServerCertificate` to tedious, which then connects
 *   with `rejectUnauthorized: false`; node-mssql < 8 (`lib/connectionstring.js`) took
 *   "true"/"yes"/"1" in any case, and also read `mssql://`/`tedious://`/`msnodesql://`/`tds://`
 *   URLs whose query keys it compared as written (`parsed.trustservercertificate`: only the
 *   lower-case key counts there). Only "true"/"yes"/"1" are read (true for every parser).
 *   `Encrypt=false` (or "no"/"0"): tedious sends nothing over TLS, so nothing is read (what an
 *   ODBC driver does then is not modelled separately). `Encrypt=strict`: ODBC Driver 18
 *   skips validation for TrustServerCertificate=yes in non-strict modes only (Microsoft Learn,
 *   "ODBC Driver 18 … major version differences"), node-mssql turns it into `encrypt: true`:
 *   which driver reads the string is not known, so nothing is read.
 * Facts only: the rules decide what is weak.
 */
import { newContext, type TlsContext } from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import { explicit } from '../../model/setting.js';

/**
 * The query parameters a switch is read from (matched in any case of the name). Every switch
 * names one of them (`param`), so a text without `<param>=` in any case holds no switch: the
 * cheap tests of the readers (`mentionsConnectionParam`) rest on this list.
 */
export const SWITCH_PARAMS = [
  'sslmode',
  'ssl',
  'tlsInsecure',
  'tlsAllowInvalidCertificates',
  'tlsAllowInvalidHostnames',
  'sslValidate',
  'TrustServerCertificate',
] as const;
type SwitchParam = (typeof SWITCH_PARAMS)[number];

/** `<param>=` of one of {@link SWITCH_PARAMS}, in any case: a text without it holds no switch. */
export const SWITCH_MENTION = new RegExp(`(?:${SWITCH_PARAMS.join('|')})=`, 'i');

export function mentionsConnectionParam(text: string): boolean {
  return SWITCH_MENTION.test(text);
}

export interface ConnectionStringSwitch {
  /** Offset and length of `param=value` in the text searched. */
  start: number;
  end: number;
  library: 'pg' | 'mongodb' | 'sqlserver';
  param: SwitchParam | 'PGSSLMODE';
  value: string;
  certificateCheck?: false;
  hostnameCheck?: false;
}

const URL_RE = /\b(postgres(?:ql)?|mongodb(?:\+srv)?):\/\/[^\s"'`<>]*/gi;

/** The switches in one text (a string literal, an env value, a line of a file). */
export function connectionStringSwitches(text: string): ConnectionStringSwitch[] {
  const out: ConnectionStringSwitch[] = [];
  for (const m of text.matchAll(URL_RE)) {
    const url = m[0];
    const q = url.indexOf('?');
    if (q < 0) continue;
    const library = m[1]!.toLowerCase().startsWith('mongo') ? 'mongodb' : 'pg';
    const params = new Map<string, { value: string; start: number; end: number }>();
    let offset = m.index + q + 1;
    for (const pair of url.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
      params.set(name.toLowerCase(), { value, start: offset, end: offset + pair.length });
      offset += pair.length + 1;
    }
    const add = (
      name: SwitchParam,
      s: Omit<ConnectionStringSwitch, 'start' | 'end' | 'library' | 'param' | 'value'>,
    ): void => {
      const p = params.get(name.toLowerCase());
      if (p) out.push({ start: p.start, end: p.end, library, param: name, value: p.value, ...s });
    };
    if (library === 'pg') {
      // pg-connection-string compares the values as written (`sslmode=Require` matches no case).
      const mode = params.get('sslmode')?.value;
      const libpq = params.get('uselibpqcompat')?.value === 'true';
      const rootCert = params.has('sslrootcert');
      if (mode === 'no-verify' && !libpq) add('sslmode', { certificateCheck: false });
      else if (libpq && (mode === 'prefer' || (mode === 'require' && !rootCert)))
        add('sslmode', { certificateCheck: false });
      else if (libpq && (mode === 'verify-ca' || (mode === 'require' && rootCert)))
        add('sslmode', { hostnameCheck: false });
      const objectSsl =
        mode !== undefined || params.has('sslcert') || params.has('sslkey') || rootCert;
      if (!objectSsl && params.get('ssl')?.value === 'no-verify')
        add('ssl', { certificateCheck: false });
    } else {
      const isTrue = (n: string) => params.get(n.toLowerCase())?.value.toLowerCase() === 'true';
      const isFalse = (n: string) => params.get(n.toLowerCase())?.value.toLowerCase() === 'false';
      if (isFalse('tls') || isFalse('ssl')) continue;
      // tlsInsecure also drops the host name check; the certificate finding already says any certificate passes.
      if (isTrue('tlsInsecure')) add('tlsInsecure', { certificateCheck: false });
      if (isTrue('tlsAllowInvalidCertificates'))
        add('tlsAllowInvalidCertificates', { certificateCheck: false });
      if (isTrue('tlsAllowInvalidHostnames'))
        add('tlsAllowInvalidHostnames', { hostnameCheck: false });
      if (params.get('sslvalidate')?.value.toLowerCase() === 'false')
        add('sslValidate', { certificateCheck: false });
    }
  }
  sqlServerSwitches(text, out);
  return out;
}

/** `TrustServerCertificate=` after the start or a `;`, and its value up to the next `;`. */
const SQLSERVER_TRUST = /(^|;)\s*(trustservercertificate=\s*([^;"'`\s]*))/gi;
/** `Encrypt=false` as a key of the same string: no TLS. */
const SQLSERVER_NO_ENCRYPT = /(?:^|;)\s*encrypt\s*=\s*(?:false|no|0|strict)\s*(?:;|$)/i;
/** node-mssql < 8: URL schemes it read as connection strings, with the key as written. */
const SQLSERVER_URL_TRUST =
  /\b(?:mssql|tedious|msnodesql|tds):\/\/[^\s"'`<>?]*\?(?:[^\s"'`<>#]*&)?(trustservercertificate=([^\s"'`<>&#]*))/gi;
const SQLSERVER_TRUE = /^\s*(?:true|yes|1)\s*$/i;

const SQLSERVER_MENTION = /trustservercertificate=/i;

/**
 * Whether a string literal that is not a URL may still be a connection string with a switch
 * (`Server=…;TrustServerCertificate=true`): the extractor keeps such strings beside URLs.
 */
export function mayBeKeyValueConnectionString(text: string): boolean {
  return text.includes('=') && SQLSERVER_MENTION.test(text);
}

function sqlServerSwitches(text: string, out: ConnectionStringSwitch[]): void {
  if (!SQLSERVER_MENTION.test(text)) return;
  const add = (start: number, written: string, value: string): void => {
    out.push({
      start,
      end: start + written.trimEnd().length,
      library: 'sqlserver',
      param: 'TrustServerCertificate',
      value: value.trim(),
      certificateCheck: false,
    });
  };
  if (!SQLSERVER_NO_ENCRYPT.test(text))
    for (const m of text.matchAll(SQLSERVER_TRUST))
      if (SQLSERVER_TRUE.test(m[3]!)) add(m.index + m[0].length - m[2]!.length, m[2]!, m[3]!);
  for (const m of text.matchAll(SQLSERVER_URL_TRUST)) {
    const written = m[1]!;
    if (!written.startsWith('trustservercertificate=')) continue;
    if (/[?&]encrypt=(?:false|no|0)(?:&|$)/i.test(m[0])) continue;
    const value = safeDecode(m[2]!);
    if (SQLSERVER_TRUE.test(value)) add(m.index + m[0].length - written.length, written, value);
  }
}

/** `PGSSLMODE=no-verify` (pg reads it when a connection has no `ssl` option of its own). */
export function pgSslModeSwitch(
  value: string,
): Omit<ConnectionStringSwitch, 'start' | 'end'> | undefined {
  return value.trim().toLowerCase() === 'no-verify'
    ? { library: 'pg', param: 'PGSSLMODE', value, certificateCheck: false }
    : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const LIBRARY_NAMES: Record<ConnectionStringSwitch['library'], string> = {
  pg: 'PostgreSQL',
  mongodb: 'MongoDB',
  sqlserver: 'SQL Server',
};

/** A client context for one switch found at `at`. */
export function connectionStringContext(
  id: string,
  language: 'node' | 'env',
  s: Omit<ConnectionStringSwitch, 'start' | 'end'>,
  at: SourceRange,
): TlsContext {
  const written = `${s.param}=${s.value}`;
  const what =
    s.param === 'PGSSLMODE'
      ? 'the PostgreSQL connections of every process started with this environment'
      : `${LIBRARY_NAMES[s.library]} connection string`;
  return newContext({
    id,
    language,
    role: 'client',
    at,
    enabledAt: at,
    label: `${what} (${written})`,
    api: s.param === 'PGSSLMODE' ? 'PGSSLMODE' : `${s.library} connection string`,
    recognition: 'library',
    library: s.library,
    ...(s.certificateCheck === false && {
      peerVerification: explicit(false, at, s.param, s.value),
    }),
    ...(s.hostnameCheck === false && {
      hostnameVerification: explicit(false, at, s.param, s.value),
    }),
  });
}
