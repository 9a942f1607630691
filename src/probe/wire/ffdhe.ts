/**
 * RFC 7919 finite-field groups (ffdhe2048 … ffdhe8192) for TLS 1.3 key shares, so a server that
 * takes only FFDHE groups (it answers with a HelloRetryRequest for one) can still have its
 * encrypted flight decrypted. Node's crypto has no ffdhe group names, so the primes are built
 * from their definition (RFC 7919 appendix A):
 *
 *   p = 2^b - 2^{b-64} + {[2^{b-130} e] + X} * 2^64 - 1,   g = 2
 *
 * with e Euler's number and X the group's constant. The generator is 2.
 */
import crypto from 'node:crypto';
import { WireError } from './bytes.js';

/** Group code (RFC 8446 NamedGroup) → bits and the constant X of RFC 7919 appendix A. */
const FFDHE: Readonly<Record<number, { bits: number; x: bigint }>> = {
  0x0100: { bits: 2048, x: 560316n },
  0x0101: { bits: 3072, x: 2625351n },
  0x0102: { bits: 4096, x: 5736041n },
  0x0103: { bits: 6144, x: 15705020n },
  0x0104: { bits: 8192, x: 10965728n },
};

export const FFDHE_GROUPS: readonly number[] = Object.keys(FFDHE).map(Number);

/** floor(e * 2^n), from the series e = Σ 1/k! with guard bits. */
function eTimesPowerOfTwo(n: number): bigint {
  const guard = 64;
  const scale = 1n << BigInt(n + guard);
  let sum = 0n;
  let term = scale; // scale / k!
  for (let k = 1n; term > 0n; k++) {
    sum += term;
    term /= k;
  }
  return sum >> BigInt(guard);
}

const primes = new Map<number, Buffer>();

/** The group's prime, big-endian, exactly bits/8 bytes. */
export function ffdhePrime(group: number): Buffer {
  const spec = FFDHE[group];
  if (!spec) throw new WireError(`not an RFC 7919 group: ${group}`);
  let prime = primes.get(group);
  if (!prime) {
    const b = BigInt(spec.bits);
    const p =
      (1n << b) -
      (1n << (b - 64n)) +
      (eTimesPowerOfTwo(spec.bits - 130) + spec.x) * (1n << 64n) -
      1n;
    prime = Buffer.from(p.toString(16).padStart(spec.bits / 4, '0'), 'hex');
    primes.set(group, prime);
  }
  return prime;
}

function leftPad(value: Buffer, size: number): Buffer {
  if (value.length > size)
    throw new WireError(`FFDHE value of ${value.length} bytes for a ${size}-byte prime`);
  return value.length === size ? value : Buffer.concat([Buffer.alloc(size - value.length), value]);
}

/**
 * A key share for an FFDHE group. Both the public value and the shared secret are left-padded
 * with zeros to the size of the prime (RFC 8446 §4.2.8.1 and §7.4.1).
 */
export function ffdheKeyShare(group: number): {
  group: number;
  publicKey: Buffer;
  computeSecret(peer: Buffer): Buffer;
} {
  const prime = ffdhePrime(group);
  const dh = crypto.createDiffieHellman(prime, 2);
  const publicKey = leftPad(dh.generateKeys(), prime.length);
  return {
    group,
    publicKey,
    computeSecret(peer: Buffer): Buffer {
      if (peer.length !== prime.length)
        throw new WireError(`FFDHE key share of ${peer.length} bytes, expected ${prime.length}`);
      try {
        return leftPad(dh.computeSecret(peer), prime.length);
      } catch (e) {
        throw new WireError(`bad FFDHE key share: ${(e as Error).message}`);
      }
    },
  };
}
