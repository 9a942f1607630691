/**
 * The certificate chain as served: a summary per certificate (the model's `CertificateSummary`,
 * the same facts the static rules judge for files), whether the leaf matches the expected name
 * (`tls.checkServerIdentity`) and whether the chain is trusted (Node's roots or `--ca`, as seen by
 * the full handshake).
 */
import crypto from 'node:crypto';
import tls from 'node:tls';
import type { CertificateSummary } from '../model/context.js';
import type { Tri } from './raw/index.js';
import { summarizeCertificate } from '../crypto/x509.js';

export interface ServedCertificates {
  /** Leaf first, as the server sent them. */
  chain: CertificateSummary[];
  /** Where the chain came from. */
  source: 'raw-scan' | 'full-handshake' | 'none';
  hostname: { name: string; matches: Tri; evidence: string };
  trusted: { value: Tri; evidence: string; anchors: 'node-roots' | 'ca-file' };
  /** Certificates that could not be parsed. */
  unreadable: string[];
}

export interface TrustObservation {
  /** From the full handshake; undefined when none completed. */
  trusted?: boolean;
  error?: string;
  /** Trust anchors (PEM) for the local check when no full handshake completed; Node's roots by default. */
  anchorsPem?: string[];
}

/** Splits a PEM bundle into its certificates. */
export function splitPemBundle(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/**
 * Chain check without a handshake (when every full handshake was refused, e.g. a TLS 1.2 server
 * that requires a client certificate): signatures up the served chain to an anchor, and dates.
 */
function locallyVerified(
  der: readonly Buffer[],
  anchorsPem: readonly string[],
  anchorText: string,
  anchors: 'node-roots' | 'ca-file',
): ServedCertificates['trusted'] {
  const how = '(checked by tls-lint from the served chain; no full handshake completed)';
  try {
    const chain = der.map((b) => new crypto.X509Certificate(b));
    const roots = anchorsPem.flatMap((p) => {
      try {
        return [new crypto.X509Certificate(p)];
      } catch {
        return [];
      }
    });
    const now = Date.now();
    const issuedBy = (child: crypto.X509Certificate, parent: crypto.X509Certificate): boolean => {
      try {
        return child.checkIssued(parent) && child.verify(parent.publicKey);
      } catch {
        return false;
      }
    };
    let current = chain[0]!;
    const used = new Set<number>([0]);
    for (;;) {
      if (Date.parse(current.validTo) < now || Date.parse(current.validFrom) > now) {
        return {
          value: false,
          evidence: `the chain does not verify against ${anchorText}: "${current.subject.replace(/\n/g, ', ')}" is outside its validity period ${how}`,
          anchors,
        };
      }
      if (roots.some((r) => r.fingerprint256 === current.fingerprint256 || issuedBy(current, r))) {
        return {
          value: true,
          evidence: `the chain verifies against ${anchorText} ${how}`,
          anchors,
        };
      }
      const next = chain.findIndex((c, i) => !used.has(i) && issuedBy(current, c));
      if (next < 0) {
        const why =
          current.subject === current.issuer
            ? 'self-signed certificate'
            : `no issuer found for "${current.issuer.replace(/\n/g, ', ')}"`;
        return {
          value: false,
          evidence: `the chain does not verify against ${anchorText}: ${why} ${how}`,
          anchors,
        };
      }
      used.add(next);
      current = chain[next]!;
    }
  } catch (e) {
    return {
      value: null,
      evidence: `the chain could not be checked: ${(e as Error).message}`,
      anchors,
    };
  }
}

export function analyzeServedChain(
  der: readonly Buffer[],
  source: ServedCertificates['source'],
  expectedName: string,
  trust: TrustObservation,
  anchors: 'node-roots' | 'ca-file',
): ServedCertificates {
  const chain: CertificateSummary[] = [];
  const unreadable: string[] = [];
  let leaf: crypto.X509Certificate | undefined;
  der.forEach((bytes, i) => {
    try {
      const x = new crypto.X509Certificate(bytes);
      if (i === 0) leaf = x;
      chain.push(summarizeCertificate(bytes));
    } catch (e) {
      unreadable.push(`certificate #${i + 1}: ${(e as Error).message}`);
    }
  });

  let hostname: ServedCertificates['hostname'];
  if (!leaf) {
    hostname = { name: expectedName, matches: null, evidence: 'no certificate was received' };
  } else {
    const error = tls.checkServerIdentity(expectedName, leaf.toLegacyObject());
    // The verdict is in `matches` (and in the hostname rule's message): the evidence says only what the certificate names.
    const names = leaf.subjectAltName
      ? `subjectAltName "${leaf.subjectAltName}"`
      : `subject "${leaf.subject.replace(/\n/g, ', ')}" and no subjectAltName`;
    hostname = {
      name: expectedName,
      matches: !error,
      evidence: `the served certificate has ${names}`,
    };
  }

  const anchorText = anchors === 'ca-file' ? 'the --ca bundle' : "Node's bundled root CAs";
  const trusted: ServedCertificates['trusted'] =
    trust.trusted === undefined
      ? der.length === 0
        ? {
            value: null,
            evidence: 'no certificate was received, so the chain could not be verified',
            anchors,
          }
        : locallyVerified(der, trust.anchorsPem ?? [...tls.rootCertificates], anchorText, anchors)
      : trust.trusted
        ? { value: true, evidence: `the chain verifies against ${anchorText}`, anchors }
        : {
            value: false,
            evidence: `the chain does not verify against ${anchorText}: ${trust.error ?? 'unknown error'}`,
            anchors,
          };

  return { chain, source, hostname, trusted, unreadable };
}
