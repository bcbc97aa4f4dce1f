import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import type { Authenticator } from 'nats';
import { fromPublic } from 'nkeys.js';
// The codec is how nkeys.js itself writes and reads keys; the package exports no other way to the raw Ed25519 bytes.
import { Codec } from 'nkeys.js/lib/codec';
import { Prefix } from 'nkeys.js/lib/nkeys';

/**
 * A service's identity on the bus: an NKey (Ed25519). The NATS server knows
 * only its public key and checks the seed's signature at connect; the same key
 * signs the caller assertions a service puts on each request (signCaller),
 * which the answering service checks against the public key (CallerVerifier).
 * Everything here uses Node's Ed25519 (tens of microseconds), never nkeys.js's
 * pure-JS one: deriving a key there takes milliseconds warm and far longer
 * cold, and it ran at every connect, in every service and test process.
 */
export interface BusKeyPair {
  /** `SU…`: the secret, kept in a mode-600 file by whoever runs the service. */
  seed: string;
  /** `U…`: what the server's configuration and the other services know. */
  publicKey: string;
}

/** An Ed25519 private key is its 32-byte seed behind this fixed PKCS #8 header (RFC 8410). */
const PKCS8_ED25519_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

function privateKeyOfRaw(rawSeed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_HEADER, rawSeed]), format: 'der', type: 'pkcs8' });
}

/** The `U…` public key of a private key. */
function userPublicKeyOf(key: KeyObject): string {
  return text(Codec.encode(Prefix.User, Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url')));
}

export function newBusKeyPair(): BusKeyPair {
  const raw = randomBytes(32);
  return { seed: text(Codec.encodeSeed(Prefix.User, raw)), publicKey: userPublicKeyOf(privateKeyOfRaw(raw)) };
}

/** The raw seed of a user NKey seed; throws naming the problem when it is not one. */
function rawSeed(seed: string): Buffer {
  try {
    const decoded = Codec.decodeSeed(new TextEncoder().encode(seed.trim()));
    if (decoded.prefix !== Prefix.User) throw new Error('not a user seed');
    return Buffer.from(decoded.buf);
  } catch (error) {
    throw new Error(`not an NKey user seed (SU…): ${(error as Error).message}`, { cause: error });
  }
}

/** The public key of a seed; throws naming the problem when it is not a user NKey seed. */
export function publicKeyOfSeed(seed: string): string {
  return userPublicKeyOf(signingKey(seed));
}

function rawPublic(publicKey: string): Buffer {
  fromPublic(publicKey); // validates the checksum and the user prefix
  return Buffer.from(Codec.decode(Prefix.User, new TextEncoder().encode(publicKey)));
}

export function signingKey(seed: string): KeyObject {
  return privateKeyOfRaw(rawSeed(seed));
}

export function verifyingKey(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: rawPublic(publicKey).toString('base64url') }, format: 'jwk' });
}

/**
 * How a connection proves it holds `seed` when the server asks (NATS's nkey
 * challenge): what nats.js's nkeyAuthenticator answers, the server's nonce
 * signed in base64, with Node's Ed25519.
 */
export function busAuthenticator(seed: string): Authenticator {
  const key = signingKey(seed);
  const nkey = userPublicKeyOf(key);
  return (nonce?: string) => ({ nkey, sig: nonce ? sign(null, Buffer.from(nonce, 'utf8'), key).toString('base64') : '' });
}

export const signBytes = (key: KeyObject, data: Buffer) => sign(null, data, key);
export const verifyBytes = (key: KeyObject, data: Buffer, signature: Buffer) => verify(null, data, key, signature);
