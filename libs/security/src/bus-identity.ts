import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createUser, fromPublic, fromSeed } from 'nkeys.js';
// The codec is how nkeys.js itself reads a seed; the package exports no other way to the raw Ed25519 bytes.
import { Codec } from 'nkeys.js/lib/codec';
import { Prefix } from 'nkeys.js/lib/nkeys';

/**
 * A service's identity on the bus: an NKey (Ed25519). The NATS server knows
 * only its public key and checks the seed's signature at connect; the same key
 * signs the caller assertions a service puts on each request (signCaller),
 * which the answering service checks against the public key (CallerVerifier).
 * Signing and checking use Node's Ed25519 (tens of microseconds), not
 * nkeys.js's pure-JS one (several milliseconds).
 */
export interface BusKeyPair {
  /** `SU…`: the secret, kept in a mode-600 file by whoever runs the service. */
  seed: string;
  /** `U…`: what the server's configuration and the other services know. */
  publicKey: string;
}

export function newBusKeyPair(): BusKeyPair {
  const pair = createUser();
  return { seed: new TextDecoder().decode(pair.getSeed()), publicKey: pair.getPublicKey() };
}

/** The public key of a seed; throws naming the problem when it is not a user NKey seed. */
export function publicKeyOfSeed(seed: string): string {
  try {
    return fromSeed(new TextEncoder().encode(seed.trim())).getPublicKey();
  } catch (error) {
    throw new Error(`not an NKey user seed (SU…): ${(error as Error).message}`, { cause: error });
  }
}

function rawSeed(seed: string): Buffer {
  return Buffer.from(Codec.decodeSeed(new TextEncoder().encode(seed.trim())).buf);
}

function rawPublic(publicKey: string): Buffer {
  fromPublic(publicKey); // validates the checksum and the user prefix
  return Buffer.from(Codec.decode(Prefix.User, new TextEncoder().encode(publicKey)));
}

export function signingKey(seed: string): KeyObject {
  const d = rawSeed(seed).toString('base64url');
  const x = rawPublic(publicKeyOfSeed(seed)).toString('base64url');
  return createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d, x }, format: 'jwk' });
}

export function verifyingKey(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawPublic(publicKey).toString('base64url') }, format: 'jwk' });
}

export const signBytes = (key: KeyObject, data: Buffer) => sign(null, data, key);
export const verifyBytes = (key: KeyObject, data: Buffer, signature: Buffer) => verify(null, data, key, signature);
