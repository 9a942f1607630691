/**
 * What the Go reader knows about a value: a small abstract domain over tree-sitter nodes.
 * Constants are folded (same-package `const`/`var`, `tls.VersionTLS12`, `0x0301`, `uint16(x)`);
 * anything computed at run time is `unknown` with the reason, so rules stay silent on it.
 */
import type { SourceRange } from '../../model/location.js';
import type { SyntaxNode } from '../tree-sitter/index.js';

/** Exported values of crypto/tls that the reader folds to numbers. */
export const TLS_CONSTANTS: Readonly<Record<string, number>> = {
  VersionSSL30: 0x0300,
  VersionTLS10: 0x0301,
  VersionTLS11: 0x0302,
  VersionTLS12: 0x0303,
  VersionTLS13: 0x0304,
  NoClientCert: 0,
  RequestClientCert: 1,
  RequireAnyClientCert: 2,
  VerifyClientCertIfGiven: 3,
  RequireAndVerifyClientCert: 4,
  RenegotiateNever: 0,
  RenegotiateOnceAsClient: 1,
  RenegotiateFreelyAsClient: 2,
  CurveP256: 23,
  CurveP384: 24,
  CurveP521: 25,
  X25519: 29,
  X25519MLKEM768: 4588,
};

/** Go `tls.CurveID` numbers → the names the curve rules know. */
export const CURVE_NAMES: Readonly<Record<number, string>> = {
  23: 'P-256',
  24: 'P-384',
  25: 'P-521',
  29: 'X25519',
  4588: 'X25519MLKEM768',
};

/** One `tls.Config` value under construction; becomes one TlsContext per role it is used in. */
export interface ConfigObject {
  id: number;
  file: string;
  at: SourceRange;
  /** `&tls.Config{…}`, `var c tls.Config`, `new(tls.Config)`, `c.Clone()`, or a server with no config. */
  made: 'literal' | 'var' | 'new' | 'clone' | 'implicit';
  /** The latest value of each field; several alternatives after a conditional write. */
  fields: Map<string, FieldAlternatives>;
  /** Roles from where it is used, with the API that uses it. */
  uses: Array<{ role: 'server' | 'client'; api: string; at: SourceRange }>;
  /** Passed to a function the reader does not know. */
  escapes: boolean;
  /** Key pairs loaded for Certificates (tls.LoadX509KeyPair, ListenAndServeTLS). */
  keyPairs: Array<{
    cert?: GoValue;
    key?: GoValue;
    certAt: SourceRange;
    keyAt: SourceRange;
    api: string;
  }>;
  /** Cloned into another config: its explicit fields are reported there. */
  clonedInto: ConfigObject[];
  /** Where a field was written, for each alternative. */
}

/** The alternatives a field may hold; `absent` = not set in that branch (Go's default). */
export type FieldAlternatives = Array<FieldWrite | { absent: true }>;

export interface FieldWrite {
  value: GoValue;
  /** The value expression's text as written. */
  raw: string;
  /** The key or assignment that wrote it. */
  at: SourceRange;
  /** The value node's own range (list items, func literals). */
  valueAt: SourceRange;
}

export type GoValue =
  | { k: 'int'; v: number; name?: string }
  | { k: 'bool'; v: boolean }
  | { k: 'str'; v: string }
  | { k: 'nil' }
  | { k: 'func'; node: SyntaxNode; trivial: boolean }
  | { k: 'cfg'; obj: ConfigObject }
  | { k: 'list'; items: Array<{ value: GoValue; raw: string; at: SourceRange }> }
  | { k: 'struct'; type: string; fields: Map<string, GoValue> }
  | { k: 'creds'; obj?: ConfigObject }
  | { k: 'keypair'; cert: GoValue; key: GoValue; certAt: SourceRange; keyAt: SourceRange }
  | { k: 'opaque'; what: string }
  | { k: 'unknown'; reason: string };

export const UNKNOWN = (reason: string): GoValue => ({ k: 'unknown', reason });

/** Parses a Go integer literal (`0x0301`, `771`, `0o1`, `0b11`, `1_000`). */
export function parseGoInt(text: string): number | undefined {
  const t = text.replace(/_/g, '').toLowerCase();
  let n: number;
  if (/^0x[0-9a-f]+$/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0o[0-7]+$/.test(t)) n = parseInt(t.slice(2), 8);
  else if (/^0b[01]+$/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^0[0-7]+$/.test(t)) n = parseInt(t.slice(1), 8);
  else if (/^\d+$/.test(t)) n = parseInt(t, 10);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The contents of a Go string literal (interpreted or raw). */
export function goStringValue(node: SyntaxNode): string | undefined {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1);
  if (node.type !== 'interpreted_string_literal') return undefined;
  try {
    return JSON.parse(node.text.replace(/\\'/g, "'")) as string;
  } catch {
    return node.text.slice(1, -1);
  }
}
