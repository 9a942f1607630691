/**
 * Ephemeral key shares for TLS 1.3 (RFC 8446 §4.2.8) with Node's crypto: X25519/X448 through
 * KeyObjects (raw keys wrapped in fixed DER prefixes), the NIST curves through ECDH, the RFC 7919
 * groups through DiffieHellman (./ffdhe.ts). The shared
 * secret is what the key schedule takes as input (for ECDH: the x-coordinate, as Node returns it).
 */
import crypto from 'node:crypto';
import { WireError } from './bytes.js';
import { Group } from './constants.js';
import { FFDHE_GROUPS, ffdheKeyShare } from './ffdhe.js';

export interface KeyShare {
  group: number;
  /** The key_exchange bytes we send. */
  publicKey: Buffer;
  /** The (EC)DHE shared secret from the server's key_exchange bytes. */
  computeSecret(peerPublic: Buffer): Buffer;
}

/** DER prefixes that turn a raw 32/56-byte key into PKCS#8 / SPKI (RFC 8410). */
const OKP = {
  [Group.x25519]: {
    size: 32,
    type: 'x25519' as const,
    pkcs8: Buffer.from('302e020100300506032b656e04220420', 'hex'),
    spki: Buffer.from('302a300506032b656e032100', 'hex'),
  },
  [Group.x448]: {
    size: 56,
    type: 'x448' as const,
    pkcs8: Buffer.from('3046020100300506032b656f043a0438', 'hex'),
    spki: Buffer.from('3042300506032b656f033900', 'hex'),
  },
};

const EC_CURVES: Readonly<Record<number, string>> = {
  [Group.secp256r1]: 'prime256v1',
  [Group.secp384r1]: 'secp384r1',
  [Group.secp521r1]: 'secp521r1',
};

/** Groups we can build a key share for (and thus finish a TLS 1.3 key exchange with). */
export const KEY_SHARE_GROUPS: readonly number[] = [
  Group.x25519,
  Group.secp256r1,
  Group.x448,
  Group.secp384r1,
  Group.secp521r1,
];

/**
 * Whether we can finish a key exchange in `group`: the groups above, and the RFC 7919 FFDHE
 * groups (not offered by default — slow and rare — but answered when a HelloRetryRequest asks).
 */
export function canMakeKeyShare(group: number): boolean {
  return KEY_SHARE_GROUPS.includes(group) || FFDHE_GROUPS.includes(group);
}

function okpShare(
  group: typeof Group.x25519 | typeof Group.x448,
  privateKey: crypto.KeyObject,
): KeyShare {
  const spec = OKP[group];
  const spki = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = Buffer.from(spki.subarray(spki.length - spec.size));
  return {
    group,
    publicKey,
    computeSecret(peer: Buffer): Buffer {
      if (peer.length !== spec.size)
        throw new WireError(`${spec.type} key share of ${peer.length} bytes`);
      const peerKey = crypto.createPublicKey({
        key: Buffer.concat([spec.spki, peer]),
        format: 'der',
        type: 'spki',
      });
      return crypto.diffieHellman({ privateKey, publicKey: peerKey });
    },
  };
}

/** A fresh key share for `group`; throws for groups we cannot compute (hybrids such as X25519MLKEM768). */
export function makeKeyShare(group: number): KeyShare {
  if (group === Group.x25519 || group === Group.x448) {
    const { privateKey } =
      group === Group.x25519
        ? crypto.generateKeyPairSync('x25519')
        : crypto.generateKeyPairSync('x448');
    return okpShare(group, privateKey);
  }
  if (FFDHE_GROUPS.includes(group)) return ffdheKeyShare(group);
  const curve = EC_CURVES[group];
  if (!curve) throw new WireError(`no key share implementation for group ${group}`);
  const ecdh = crypto.createECDH(curve);
  const publicKey = ecdh.generateKeys();
  return {
    group,
    publicKey,
    computeSecret: (peer: Buffer) => {
      try {
        return ecdh.computeSecret(peer);
      } catch (e) {
        throw new WireError(`bad ${curve} key share: ${(e as Error).message}`);
      }
    },
  };
}

/** An X25519 key share from a known private key (test vectors). */
export function x25519KeyShareFromPrivate(raw: Buffer): KeyShare {
  const spec = OKP[Group.x25519];
  const privateKey = crypto.createPrivateKey({
    key: Buffer.concat([spec.pkcs8, raw]),
    format: 'der',
    type: 'pkcs8',
  });
  return okpShare(Group.x25519, privateKey);
}
