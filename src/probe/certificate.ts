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
import { summarizeCertificateDer } from './certificate-summary.js';

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
}

export function analyzeServedChain(der: readonly Buffer[], source: ServedCertificates['source'], expectedName: string, trust: TrustObservation, anchors: 'node-roots' | 'ca-file'): ServedCertificates {
  const chain: CertificateSummary[] = [];
  const unreadable: string[] = [];
  let leaf: crypto.X509Certificate | undefined;
  der.forEach((bytes, i) => {
    try {
      const x = new crypto.X509Certificate(bytes);
      if (i === 0) leaf = x;
      chain.push(summarizeCertificateDer(bytes));
    } catch (e) {
      unreadable.push(`certificate #${i + 1}: ${(e as Error).message}`);
    }
  });

  let hostname: ServedCertificates['hostname'];
  if (!leaf) {
    hostname = { name: expectedName, matches: null, evidence: 'no certificate was received' };
  } else {
    const error = tls.checkServerIdentity(expectedName, leaf.toLegacyObject() as unknown as tls.PeerCertificate);
    const names = leaf.subjectAltName ? `subjectAltName "${leaf.subjectAltName}"` : `subject "${leaf.subject.replace(/\n/g, ', ')}" and no subjectAltName`;
    hostname = error
      ? { name: expectedName, matches: false, evidence: `the served certificate does not match "${expectedName}" (${names})` }
      : { name: expectedName, matches: true, evidence: `the served certificate matches "${expectedName}" (${names})` };
  }

  const anchorText = anchors === 'ca-file' ? 'the --ca bundle' : "Node's bundled root CAs";
  const trusted: ServedCertificates['trusted'] =
    trust.trusted === undefined
      ? { value: null, evidence: 'no full handshake completed, so the chain could not be verified', anchors }
      : trust.trusted
        ? { value: true, evidence: `the chain verifies against ${anchorText}`, anchors }
        : { value: false, evidence: `the chain does not verify against ${anchorText}: ${trust.error ?? 'unknown error'}`, anchors };

  return { chain, source, hostname, trusted, unreadable };
}
