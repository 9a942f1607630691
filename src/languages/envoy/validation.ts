/**
 * Envoy's certificate validation context as facts: what a `CertificateValidationContext` holds
 * (CA, name matchers, pins, ACCEPT_UNTRUSTED…), wherever it comes from — inline
 * (`validation_context`), a static SDS secret named by `validation_context_sds_secret_config`, or
 * `combined_validation_context` (a default context merged with an SDS secret).
 *
 * Semantics (envoyproxy/envoy 22fecd20f2d139d305b6b5f6e45e50d64a9a9146,
 * source/common/tls/cert_validator/default_validator.cc `initializeSslContexts` and
 * `verifyCertAndUpdateStatus`; data-plane-api 84e84367, tls.proto / common.proto):
 * - `trusted_ca` turns chain verification on (SSL_VERIFY_PEER); without it nothing checks the
 *   chain, and a SAN matcher alone accepts any self-signed certificate that carries the name.
 * - SAN matchers and `verify_certificate_spki`/`_hash` make a peer certificate mandatory
 *   (SSL_VERIFY_FAIL_IF_NO_PEER_CERT) unless `trust_chain_verification: ACCEPT_UNTRUSTED`,
 *   which lets every verification failure through (the certificate is still requested).
 * - A pin (`verify_certificate_spki`/`_hash`) accepts exactly the pinned certificate(s).
 * - `combined_validation_context`: "dynamic CertificateValidationContext overwrites singular fields
 *   in default CertificateValidationContext, and concatenates repeated fields …, and logical OR is
 *   applied to boolean fields" (tls.proto, Message::MergeFrom).
 * - An SdsSecretConfig without `sds_config` names a static secret of `static_resources.secrets`
 *   ("Unknown static secret" otherwise); with `sds_config` the secret comes from a control plane
 *   and its content cannot be seen here.
 */
import type { Node, Scalar } from 'yaml';
import type { MaterialRef } from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import type { YDoc } from './source.js';
import type { StaticSecret } from './walk.js';

export interface Fact {
  at: SourceRange;
  key: string;
}

/** A `DataSource` (`filename`, `inline_string`, `inline_bytes`, `environment_variable`). */
export interface DataSourceFact extends Fact {
  filename?: string;
  inline?: string;
  /** Decided at run time (environment variable, template placeholder). */
  runtime?: string;
}

export interface ValidationFacts {
  trustedCa?: DataSourceFact;
  sanMatchers: Fact[];
  pins: Fact[];
  acceptUntrusted?: Fact;
  allowExpired?: Fact;
  crl?: Fact;
  /** Uses of deprecated spellings (`match_subject_alt_names`, v2 `verify_subject_alt_name`). */
  deprecated: Array<{ feature: string; detail: string; at: SourceRange }>;
  /** A value decided by a template or at run time: its effect is unknown. */
  unknownBecause?: string;
}

export interface Validation {
  /** How the validation context is given; `none` when the oneof is not set. */
  kind: 'none' | 'inline' | 'static-sds' | 'dynamic-sds' | 'missing-secret';
  /** The key that sets it (`validation_context`, `validation_context_sds_secret_config`, `combined_validation_context`). */
  key?: string;
  at?: SourceRange;
  /** What is known for sure (for dynamic SDS: what the default context of a combined one holds). */
  facts: ValidationFacts;
  /** Name of the SDS secret (static or dynamic). */
  secretName?: string;
  /** Where a static secret is defined, for messages. */
  secretAt?: SourceRange;
}

function emptyFacts(): ValidationFacts {
  return { sanMatchers: [], pins: [], deprecated: [] };
}

/** Reads a DataSource; `key` names the field for messages (`trusted_ca`). */
function dataSource(
  doc: YDoc,
  keyNode: Scalar,
  node: Node | undefined,
  key: string,
): DataSourceFact {
  const at = doc.keyRange(keyNode);
  const pick = (name: string) => doc.get(node, name);
  const filename = pick('filename');
  if (filename) {
    if (doc.templated(filename.value)) return { at, key, runtime: 'a template placeholder' };
    const text = doc.text(filename.value);
    return {
      at: doc.range(filename.value ?? filename.keyNode),
      key,
      ...(text !== undefined && { filename: text }),
    };
  }
  const inline = pick('inline_string');
  if (inline) {
    if (doc.templated(inline.value)) return { at, key, runtime: 'a template placeholder' };
    const text = doc.text(inline.value);
    return { at: doc.keyRange(inline.keyNode), key, ...(text !== undefined && { inline: text }) };
  }
  const bytes = pick('inline_bytes');
  if (bytes) {
    const text = doc.text(bytes.value);
    let decoded: string | undefined;
    try {
      decoded = text !== undefined ? Buffer.from(text, 'base64').toString('latin1') : undefined;
    } catch {
      decoded = undefined;
    }
    return {
      at: doc.keyRange(bytes.keyNode),
      key,
      ...(decoded !== undefined && { inline: decoded }),
    };
  }
  const env = pick('environment_variable');
  if (env)
    return {
      at: doc.keyRange(env.keyNode),
      key,
      runtime: `environment variable "${doc.text(env.value) ?? '?'}"`,
    };
  return { at, key };
}

/** Facts of one `CertificateValidationContext` message. */
function readValidationContext(doc: YDoc, node: Node | undefined): ValidationFacts {
  const facts = emptyFacts();
  if (!node) return facts;
  for (const e of doc.entries(node)) {
    const at = doc.keyRange(e.keyNode);
    switch (e.key) {
      case 'trusted_ca':
        facts.trustedCa = dataSource(doc, e.keyNode, e.value, 'trusted_ca');
        break;
      case 'match_typed_subject_alt_names':
        if (doc.items(e.value).length) facts.sanMatchers.push({ at, key: e.key });
        break;
      case 'match_subject_alt_names':
        if (doc.items(e.value).length) facts.sanMatchers.push({ at, key: e.key });
        facts.deprecated.push({ feature: 'envoy.match_subject_alt_names', detail: e.key, at });
        break;
      case 'verify_subject_alt_name':
        if (doc.items(e.value).length) facts.sanMatchers.push({ at, key: e.key });
        facts.deprecated.push({ feature: 'envoy.v2-api', detail: '"verify_subject_alt_name"', at });
        break;
      case 'verify_certificate_spki':
      case 'verify_certificate_hash':
        if (doc.items(e.value).length) facts.pins.push({ at, key: e.key });
        break;
      case 'trust_chain_verification': {
        if (doc.templated(e.value))
          facts.unknownBecause = `"trust_chain_verification" is a template placeholder`;
        const v = doc.text(e.value);
        if (v === 'ACCEPT_UNTRUSTED' || v === '1') facts.acceptUntrusted = { at, key: e.key };
        break;
      }
      case 'allow_expired_certificate':
        if (doc.bool(e.value) === true) facts.allowExpired = { at, key: e.key };
        break;
      case 'crl':
        facts.crl = { at, key: e.key };
        break;
      case 'custom_validator_config':
        facts.unknownBecause = `a custom validator ("custom_validator_config") decides what is accepted`;
        break;
      case 'ca_certificate_provider_instance':
        // the CA comes from a certificate provider at run time
        facts.trustedCa = { at, key: e.key, runtime: 'a certificate provider' };
        break;
      default:
        break;
    }
  }
  return facts;
}

/** Message::MergeFrom of a dynamic/secret context into the default one. */
function mergeFacts(base: ValidationFacts, over: ValidationFacts): ValidationFacts {
  return {
    ...base,
    ...(over.trustedCa && { trustedCa: over.trustedCa }),
    sanMatchers: [...base.sanMatchers, ...over.sanMatchers],
    pins: [...base.pins, ...over.pins],
    ...((over.acceptUntrusted ?? base.acceptUntrusted) && {
      acceptUntrusted: over.acceptUntrusted ?? base.acceptUntrusted,
    }),
    ...((base.allowExpired ?? over.allowExpired) && {
      allowExpired: base.allowExpired ?? over.allowExpired,
    }),
    ...((over.crl ?? base.crl) && { crl: over.crl ?? base.crl }),
    deprecated: [...base.deprecated, ...over.deprecated],
    ...((over.unknownBecause ?? base.unknownBecause) && {
      unknownBecause: over.unknownBecause ?? base.unknownBecause,
    }),
  };
}

/** An SdsSecretConfig: a static secret by name, or a dynamic one (`sds_config`). */
function sdsReference(
  doc: YDoc,
  node: Node | undefined,
): { name?: string; dynamic: boolean; templated: boolean } {
  const nameNode = doc.get(node, 'name')?.value;
  return {
    name: doc.text(nameNode),
    dynamic: !!doc.get(node, 'sds_config'),
    templated: doc.templated(nameNode),
  };
}

/**
 * Facts of a static secret's `validation_context`, pointed at the reference: the secret is
 * shared, the finding belongs to the context that uses it.
 */
function fromSecret(secret: StaticSecret, refAt: SourceRange): ValidationFacts | undefined {
  const vc = secret.doc.get(secret.node, 'validation_context');
  if (!vc) return undefined;
  const facts = readValidationContext(secret.doc, vc.value);
  const move = <T extends Fact>(f: T | undefined): T | undefined =>
    f ? { ...f, at: refAt } : undefined;
  return {
    ...facts,
    ...(facts.trustedCa && { trustedCa: { ...facts.trustedCa } }),
    sanMatchers: facts.sanMatchers.map((f) => move(f)!),
    pins: facts.pins.map((f) => move(f)!),
    ...(facts.acceptUntrusted && { acceptUntrusted: move(facts.acceptUntrusted) }),
  };
}

/** The validation context of a `CommonTlsContext`, resolved as far as the file allows. */
export function resolveValidation(
  doc: YDoc,
  common: Node | undefined,
  secrets: ReadonlyMap<string, StaticSecret>,
): Validation {
  const inline = doc.get(common, 'validation_context');
  if (inline)
    return {
      kind: 'inline',
      key: 'validation_context',
      at: doc.keyRange(inline.keyNode),
      facts: readValidationContext(doc, inline.value),
    };

  const sds = doc.get(common, 'validation_context_sds_secret_config');
  if (sds) return fromSds(doc, sds, emptyFacts(), 'validation_context_sds_secret_config', secrets);

  const combined = doc.get(common, 'combined_validation_context');
  if (combined) {
    const base = readValidationContext(
      doc,
      doc.get(combined.value, 'default_validation_context')?.value,
    );
    const ref = doc.get(combined.value, 'validation_context_sds_secret_config');
    if (!ref)
      return {
        kind: 'inline',
        key: 'combined_validation_context',
        at: doc.keyRange(combined.keyNode),
        facts: base,
      };
    const v = fromSds(doc, ref, base, 'combined_validation_context', secrets);
    return { ...v, at: doc.keyRange(combined.keyNode) };
  }
  return { kind: 'none', facts: emptyFacts() };
}

function fromSds(
  doc: YDoc,
  ref: { keyNode: Scalar; value: Node | undefined },
  base: ValidationFacts,
  key: string,
  secrets: ReadonlyMap<string, StaticSecret>,
): Validation {
  const at = doc.keyRange(ref.keyNode);
  const r = sdsReference(doc, ref.value);
  if (r.dynamic || r.templated)
    return { kind: 'dynamic-sds', key, at, facts: base, ...(r.name && { secretName: r.name }) };
  const secret = r.name !== undefined ? secrets.get(r.name) : undefined;
  if (!secret)
    return { kind: 'missing-secret', key, at, facts: base, ...(r.name && { secretName: r.name }) };
  const own = fromSecret(secret, at);
  return {
    kind: 'static-sds',
    key,
    at,
    facts: own ? mergeFacts(base, own) : base,
    secretName: secret.name,
    secretAt: secret.at,
  };
}

/** The certificates a `CommonTlsContext` presents (`tls_certificates`, or static SDS secrets). */
export function certificateRefs(
  doc: YDoc,
  common: Node | undefined,
  secrets: ReadonlyMap<string, StaticSecret>,
  role: 'server' | 'client',
  resolvePath: (written: string) => string | undefined,
): { refs: MaterialRef[]; dynamic: string[] } {
  const refs: MaterialRef[] = [];
  const dynamic: string[] = [];
  const fromCertificate = (d: YDoc, cert: Node | undefined): void => {
    for (const [field, purpose] of [
      ['certificate_chain', role === 'server' ? 'server-certificate' : 'client-certificate'],
      ['private_key', role === 'server' ? 'server-key' : 'client-key'],
    ] as const) {
      const e = d.get(cert, field);
      if (!e) continue;
      const ds = dataSource(d, e.keyNode, e.value, field);
      const ref = materialRef(ds, purpose, resolvePath);
      if (ref) refs.push(ref);
    }
  };
  for (const cert of doc.items(doc.get(common, 'tls_certificates')?.value))
    fromCertificate(doc, cert);
  for (const ref of doc.items(doc.get(common, 'tls_certificate_sds_secret_configs')?.value)) {
    const r = sdsReference(doc, ref);
    if (r.dynamic || r.templated || r.name === undefined) {
      dynamic.push(r.name ?? '?');
      continue;
    }
    const secret = secrets.get(r.name);
    if (secret) fromCertificate(secret.doc, secret.doc.get(secret.node, 'tls_certificate')?.value);
  }
  return { refs, dynamic };
}

/** A MaterialRef for a DataSource (a file in the tree, or inline PEM). */
export function materialRef(
  ds: DataSourceFact,
  purpose: MaterialRef['purpose'],
  resolvePath: (written: string) => string | undefined,
): MaterialRef | undefined {
  if (ds.inline !== undefined)
    return { purpose, inline: ds.inline, at: ds.at, key: `${ds.key}.inline_string` };
  if (ds.filename === undefined) return undefined;
  const found = resolvePath(ds.filename);
  return {
    purpose,
    written: ds.filename,
    ...(found && { path: found }),
    at: ds.at,
    key: `${ds.key}.filename`,
  };
}
