/**
 * OpenSSL's cipher-string language (SSL_CTX_set_cipher_list), re-implemented so that a string
 * expands to exactly the suites, in exactly the order, the real library produces. The behaviour
 * follows ssl/ssl_ciph.c (`ssl_create_cipher_list`, `ssl_cipher_process_rulestr`,
 * `ssl_cipher_apply_rule`) of each family; test/crypto/openssl-differential.test.ts compares the
 * 3.x family with the machine's `openssl ciphers -V` on hundreds of strings.
 *
 * What the real parser does, which this one keeps on purpose:
 * - items are separated by `:`, `,`, `;` or space; an item may chain selectors with `+` (AND);
 * - prefixes: none = append matches not yet active, `-` = deactivate (may come back), `!` = kill
 *   for good, `+` = move active matches to the end; `@STRENGTH`, `@SECLEVEL=n`;
 * - a name is letters, digits, `-`, `.` and `=`; anything else ends it (so `TLS_AES…` is read as
 *   `TLS`, matches nothing and is skipped); an item that starts with another character is an error
 *   ("invalid command") that fails the whole string;
 * - unknown names are ignored silently; only a result with no TLS ≤1.2 suite is an error
 *   ("no cipher match");
 * - `DEFAULT` is only special as the very first 7 characters; `SUITEB…` only at the start.
 */
import type { CipherSuite } from '../suite-types.js';
import {
  familyDefinition,
  LEGACY_ALIAS_NAMES,
  type Alias,
  type EngineCipher,
  type FamilyDefinition,
  type OpenSslFamily,
  type PreorderStep,
} from './families.js';

export type CipherOp = 'add' | 'remove' | 'kill' | 'move-to-end' | 'special';

/** One item of the string as written, with what it did. */
export interface CipherStringItem {
  /** The item as written, prefix included (`!aNULL`, `ECDHE+AESGCM`). */
  text: string;
  /** 0-based offset in the string given to the engine. */
  offset: number;
  op: CipherOp;
  /**
   * - `suite`: names one suite; `alias`: a group name or `a+b` combination;
   * - `legacy`: a name this family no longer has (silently ignored by OpenSSL);
   * - `unknown`: no such name (silently ignored by OpenSSL);
   * - `special`: `@STRENGTH`/`@SECLEVEL=n`; `invalid`: OpenSSL rejects the whole string.
   */
  kind: 'suite' | 'alias' | 'legacy' | 'unknown' | 'special' | 'invalid';
  /** Suites of this family the selector matches, whether or not it changed anything. */
  matched: number;
  /** Suites this item newly activated (add) / deactivated (remove, kill) / moved. */
  affected: CipherSuite[];
  /** For `unknown`: the right spelling when only the letter case is wrong. */
  caseSuggestion?: string;
  /** For `unknown`: the suite it names in another spelling (IANA name, other family's name). */
  otherSpelling?: CipherSuite;
  /** The part of the item OpenSSL actually read, when it stopped early (`TLS` of `TLS_AES…`). */
  readAs?: string;
}

export interface OpenSslExpansion {
  family: OpenSslFamily;
  /** TLS ≤1.2 suites in preference order (empty when the string fails). */
  suites: CipherSuite[];
  /** For each suite in `suites`: the item that (last) brought it in. */
  broughtBy: Map<CipherSuite, CipherStringItem>;
  items: CipherStringItem[];
  /** `DEFAULT` at the start, expanded from this rule. */
  defaultRule?: string;
  /** SUITEB128/SUITEB128ONLY/SUITEB128C2/SUITEB192 at the start (replaces the whole string). */
  suiteB?: string;
  secLevel?: number;
  /** Why OpenSSL would refuse the string (`SSL_CTX_set_cipher_list` returns 0). */
  error?: { kind: 'no-cipher-match' | 'invalid-command'; message: string; item?: CipherStringItem };
}

interface Node {
  c: EngineCipher;
  active: boolean;
  dead: boolean;
  by?: CipherStringItem;
}

/** What an item of the string selects: the cipher's own bit masks (0 = any), as OpenSSL matches them. */
type Pattern = Pick<EngineCipher, 'id' | 'mkey' | 'auth' | 'enc' | 'mac' | 'proto' | 'strength'> & {
  /** Match by strength bits only (the @STRENGTH sort). */
  strengthBits?: number;
};

const SEPARATORS = new Set([':', ' ', ';', ',']);
const isNameChar = (ch: string | undefined): boolean =>
  ch !== undefined && /[A-Za-z0-9.=-]/.test(ch);

const SUITEB: ReadonlyArray<[string, string]> = [
  ['SUITEB128ONLY', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
  ['SUITEB128C2', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB128', 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384'],
  ['SUITEB192', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
];

/** Expands an OpenSSL cipher string (TLS ≤1.2 part) for one OpenSSL family. */
export function expandOpenSslCipherString(text: string, family: OpenSslFamily): OpenSslExpansion {
  const def = familyDefinition(family);
  const run = new Expansion(def);
  const out: OpenSslExpansion = { family, suites: [], broughtBy: new Map(), items: [] };

  let rule = text;
  let offsetBase = 0;
  const suiteB = SUITEB.find(([name]) => text.startsWith(name));
  if (suiteB) {
    out.suiteB = suiteB[0];
    rule = suiteB[1];
    offsetBase = -1; // offsets no longer refer to the user's text
  }

  let ok = true;
  let rest = rule;
  if (rule.startsWith('DEFAULT')) {
    out.defaultRule = def.defaultRule;
    const defaultItem: CipherStringItem = {
      text: 'DEFAULT',
      offset: 0,
      op: 'add',
      kind: 'alias',
      matched: 0,
      affected: [],
    };
    ok = run.process(def.defaultRule, 0, defaultItem);
    const before = run.activeSet();
    defaultItem.matched = before.size;
    defaultItem.affected = [...before].map((n) => n.c.suite);
    out.items.push(defaultItem);
    rest = rule.slice(7);
    offsetBase += 7;
    if (rest.startsWith(':')) {
      rest = rest.slice(1);
      offsetBase += 1;
    }
  }
  if (ok && rest.length > 0) ok = run.process(rest, offsetBase);
  out.items.push(...run.items);
  if (run.secLevel !== undefined) out.secLevel = run.secLevel;
  if (suiteB) for (const item of out.items) item.offset = 0;

  if (!ok) {
    const bad = out.items.find((i) => i.kind === 'invalid');
    out.error = {
      kind: 'invalid-command',
      message: bad
        ? `OpenSSL rejects the cipher string at "${bad.text}" (invalid command)`
        : 'OpenSSL rejects the cipher string (invalid command)',
      ...(bad && { item: bad }),
    };
    return out;
  }
  for (const node of run.list) {
    if (!node.active) continue;
    out.suites.push(node.c.suite);
    if (node.by) out.broughtBy.set(node.c.suite, node.by);
  }
  if (out.suites.length === 0) {
    out.error = {
      kind: 'no-cipher-match',
      message: 'no TLS 1.2-or-older cipher suite matches: OpenSSL fails with "no cipher match"',
    };
  }
  return out;
}

/** One run of the rule processor over a fresh, pre-ordered list. */
class Expansion {
  list: Node[];
  items: CipherStringItem[] = [];
  secLevel?: number;
  private readonly byName = new Map<string, EngineCipher>();
  private readonly aliasByName = new Map<string, Alias>();

  constructor(private readonly def: FamilyDefinition) {
    this.list = def.ciphers.map((c) => ({ c, active: false, dead: false }));
    for (const c of def.ciphers) this.byName.set(c.name, c);
    for (const al of def.aliases) this.aliasByName.set(al.name, al);
    for (const step of def.preorder) this.preorderStep(step);
  }

  activeSet(): Set<Node> {
    return new Set(this.list.filter((n) => n.active));
  }

  private preorderStep(step: PreorderStep): void {
    if (step.op === 'strength') {
      this.strengthSort();
      return;
    }
    const pattern: Pattern = {
      id: 0,
      mkey: step.mkey ?? 0,
      auth: step.auth ?? 0,
      enc: step.enc ?? 0,
      mac: step.mac ?? 0,
      proto: step.proto ?? 0,
      strength: 0,
    };
    this.apply(pattern, step.op);
  }

  /** Runs the rule string; returns false when OpenSSL would fail it. */
  process(rule: string, offsetBase: number, attributeTo?: CipherStringItem): boolean {
    let ok = true;
    let i = 0;
    while (i < rule.length) {
      const start = i;
      const first = rule[i]!;
      let op: CipherOp = 'add';
      if (first === '-') op = 'remove';
      else if (first === '+') op = 'move-to-end';
      else if (first === '!') op = 'kill';
      else if (first === '@') op = 'special';
      if (op !== 'add') i++;
      if (SEPARATORS.has(first)) {
        i++;
        continue;
      }

      const pattern: Pattern = { id: 0, mkey: 0, auth: 0, enc: 0, mac: 0, proto: 0, strength: 0 };
      let found = false;
      let invalid = false;
      let isSuite = false;
      let lastName = '';
      let nameStart = i;
      const names: string[] = [];
      for (;;) {
        nameStart = i;
        while (isNameChar(rule[i])) i++;
        const name = rule.slice(nameStart, i);
        if (name.length === 0) {
          invalid = true;
          found = false;
          i++;
          break;
        }
        lastName = name;
        if (op === 'special') break;
        const multi = rule[i] === '+';
        if (multi) i++;
        names.push(name);
        const cipher = this.byName.get(name);
        const al = cipher ? undefined : this.aliasByName.get(name);
        if (!cipher && !al) {
          found = false;
          break;
        }
        found = this.narrow(pattern, cipher, al);
        if (!found) break;
        if (cipher) {
          pattern.id = cipher.id;
          isSuite = true;
        }
        if (!multi) break;
      }

      // what OpenSSL read differs from the text when a non-name character cut the name short
      const readPart = rule.slice(start, i).replace(/[+]$/, '');
      // the item as written ends at the next separator
      let end = i;
      while (end < rule.length && !SEPARATORS.has(rule[end]!)) end++;
      const itemText = rule.slice(start, end);
      const item: CipherStringItem = {
        text: itemText,
        offset: offsetBase + start,
        op,
        kind: 'unknown',
        matched: 0,
        affected: [],
      };

      if (invalid) {
        item.kind = 'invalid';
        ok = false;
        i = end;
      } else if (op === 'special') {
        item.kind = 'special';
        if (lastName === 'STRENGTH') this.strengthSort();
        // security levels arrived with OpenSSL 1.1.0: 1.0.2 rejects @SECLEVEL as an invalid command
        else if (/^SECLEVEL=[0-5]$/.test(lastName) && this.def.family !== '1.0.2')
          this.secLevel = Number(lastName.slice(9));
        else {
          item.kind = 'invalid';
          ok = false;
        }
        i = end;
      } else if (found) {
        item.kind = isSuite && names.length === 1 ? 'suite' : 'alias';
        item.matched = this.count(pattern);
        item.affected = this.apply(pattern, op, attributeTo ?? item);
      } else {
        this.describeUnmatched(item, names, lastName);
        i = end;
      }
      if (!invalid && readPart !== itemText && item.kind !== 'special') item.readAs = readPart;
      if (!attributeTo) this.items.push(item);
      if (i >= rule.length) break;
    }
    return ok;
  }

  /** Why a name matched nothing: another family's name, an IANA name, a case slip, or unknown. */
  private describeUnmatched(item: CipherStringItem, names: string[], lastName: string): void {
    const all = [...names];
    if (all.length === 0 && lastName) all.push(lastName);
    const missing = all.find((n) => !this.byName.has(n) && !this.aliasByName.has(n));
    if (!missing) {
      // every name is known but the combination (a+b) selects nothing
      item.kind = 'alias';
      return;
    }
    if (LEGACY_ALIAS_NAMES.has(missing)) {
      item.kind = 'legacy';
      return;
    }
    item.kind = 'unknown';
    const lower = missing.toLowerCase();
    for (const n of [...this.aliasByName.keys(), ...this.byName.keys(), 'DEFAULT']) {
      if (n.toLowerCase() === lower && n !== missing) {
        item.caseSuggestion = n;
        break;
      }
    }
  }

  /** ANDs one selector into the pattern (OpenSSL's multi-part `a+b`); false when empty. */
  private narrow(p: Pattern, cipher: EngineCipher | undefined, al: Alias | undefined): boolean {
    const src = cipher ?? al!;
    for (const field of ['mkey', 'auth', 'enc', 'mac'] as const) {
      const value = src[field];
      if (!value) continue;
      if (p[field]) {
        p[field] &= value;
        if (!p[field]) return false;
      } else p[field] = value;
    }
    for (const group of this.def.strengthGroups) {
      const value = src.strength & group;
      if (!value) continue;
      if (p.strength & group) {
        p.strength &= value | ~group;
        if (!(p.strength & group)) return false;
      } else p.strength |= value;
    }
    // the protocol of a named suite is not part of the pattern (1.1.1+); of an alias it is
    if (al && al.proto) {
      if (this.def.protoMatch === 'equal') {
        if (p.proto && p.proto !== al.proto) return false;
        p.proto = al.proto;
      } else if (p.proto) {
        p.proto &= al.proto;
        if (!p.proto) return false;
      } else p.proto = al.proto;
    } else if (cipher && this.def.protoMatch === 'bits') {
      if (p.proto) {
        p.proto &= cipher.proto;
        if (!p.proto) return false;
      } else p.proto = cipher.proto;
    }
    return true;
  }

  private matches(c: EngineCipher, p: Pattern): boolean {
    if (p.strengthBits !== undefined) return c.strengthBits === p.strengthBits;
    if (p.id && p.id !== c.id) return false;
    if (p.mkey && !(p.mkey & c.mkey)) return false;
    if (p.auth && !(p.auth & c.auth)) return false;
    if (p.enc && !(p.enc & c.enc)) return false;
    if (p.mac && !(p.mac & c.mac)) return false;
    if (p.proto) {
      if (this.def.protoMatch === 'equal' ? p.proto !== c.proto : !(p.proto & c.proto))
        return false;
    }
    for (const group of this.def.strengthGroups) {
      if (p.strength & group && !(p.strength & group & c.strength)) return false;
    }
    return true;
  }

  private count(p: Pattern): number {
    return this.def.ciphers.filter((c) => this.matches(c, p)).length;
  }

  /**
   * One rule over the list. The visiting order is the list as it was before the rule (front to
   * back; back to front for remove/bump so that removed suites keep their relative order).
   */
  private apply(
    p: Pattern,
    op: CipherOp | 'add' | 'del' | 'ord' | 'bump',
    by?: CipherStringItem,
  ): CipherSuite[] {
    const kind = op === 'remove' ? 'del' : op === 'move-to-end' ? 'ord' : op;
    const reverse = kind === 'del' || kind === 'bump';
    const snapshot = reverse ? [...this.list].reverse() : [...this.list];
    const affected: CipherSuite[] = [];
    for (const node of snapshot) {
      if (!this.matches(node.c, p)) continue;
      switch (kind) {
        case 'add':
          if (!node.active) {
            this.moveToEnd(node);
            node.active = true;
            if (by) node.by = by;
            affected.push(node.c.suite);
          }
          break;
        case 'ord':
          if (node.active) {
            this.moveToEnd(node);
            affected.push(node.c.suite);
          }
          break;
        case 'del':
          if (node.active) {
            this.moveToFront(node);
            node.active = false;
            affected.push(node.c.suite);
          }
          break;
        case 'bump':
          if (node.active) this.moveToFront(node);
          break;
        case 'kill':
          if (node.active) affected.push(node.c.suite);
          node.active = false;
          node.dead = true;
          this.list.splice(this.list.indexOf(node), 1);
          break;
      }
    }
    return reverse ? affected.reverse() : affected;
  }

  private moveToEnd(node: Node): void {
    this.list.splice(this.list.indexOf(node), 1);
    this.list.push(node);
  }

  private moveToFront(node: Node): void {
    this.list.splice(this.list.indexOf(node), 1);
    this.list.unshift(node);
  }

  /** @STRENGTH: stable sort of the active suites by strength bits, strongest first. */
  private strengthSort(): void {
    const used = new Set<number>();
    for (const n of this.list) if (n.active) used.add(n.c.strengthBits);
    for (const bits of [...used].sort((x, y) => y - x)) {
      this.apply(
        { id: 0, mkey: 0, auth: 0, enc: 0, mac: 0, proto: 0, strength: 0, strengthBits: bits },
        'ord',
      );
    }
  }
}
