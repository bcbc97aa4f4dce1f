import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/**
 * Secrets sealed to one recipient: whoever holds its public key can seal,
 * only the holder of the private key can open (docs/decisions/0020). ECIES
 * with Node's own primitives: a fresh X25519 key pair per seal, its shared
 * secret with the recipient's key through HKDF-SHA256 (salted with both public
 * keys) into an AES-256-GCM key. The context (what the secret is and whose,
 * e.g. `clarion/smtp-password/<orgId>`) is authenticated as associated data:
 * a value moved to another organisation or another use does not open.
 *
 * Form: `x1.<key id>.<ephemeral public key>.<nonce>.<ciphertext and tag>`, base64url.
 * The key id (first 8 bytes of the recipient's public key's sha256) names the
 * key it was sealed to, so a recipient holding several keys (rotation) picks
 * the right one and a wrong key is reported as such.
 */
const VERSION = 'x1';
const INFO = Buffer.from('clarion sealed secret x1');
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const RAW_KEY_BYTES = 32;

/** Shape of a sealed value, for validation where it is carried or stored without being opened (libs/contracts `sealedSecret`). */
export const SEALED_SECRET = /^x1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/;

export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

export interface SealingKeyPair {
  /** PKCS#8 PEM, as `openssl genpkey -algorithm X25519` writes it: for the recipient alone (a mode-600 file). */
  privateKeyPem: string;
  /** The raw 32-byte X25519 public key in base64url (43 characters): for whoever seals. */
  publicKey: string;
}

export function newSealingKeyPair(): SealingKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), publicKey: rawPublicKey(publicKey) };
}

/** The public key (base64url) of a PEM private key. */
export function sealingPublicKeyOf(privateKeyPem: string): string {
  return rawPublicKey(createPublicKey(readPrivateKeys(privateKeyPem)[0]));
}

/** Seals with the recipient's public key; anyone may hold one. */
export class SecretSealer {
  private readonly recipient: KeyObject;
  private readonly recipientRaw: Buffer;
  readonly keyId: string;

  constructor(publicKey: string) {
    this.recipient = importPublicKey(publicKey);
    this.recipientRaw = Buffer.from(publicKey, 'base64url');
    this.keyId = keyIdOf(this.recipientRaw);
  }

  seal(plaintext: string, context: string): string {
    const ephemeral = generateKeyPairSync('x25519');
    const ephemeralRaw = Buffer.from(rawPublicKey(ephemeral.publicKey), 'base64url');
    const key = contentKey(diffieHellman({ privateKey: ephemeral.privateKey, publicKey: this.recipient }), ephemeralRaw, this.recipientRaw);
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return [VERSION, this.keyId, ephemeralRaw.toString('base64url'), nonce.toString('base64url'), data.toString('base64url')].join('.');
  }
}

/** Opens what was sealed to any of its private keys (the current one and, while rotating, earlier ones). */
export class SecretOpener {
  private readonly keys = new Map<string, { privateKey: KeyObject; raw: Buffer }>();

  /** One or more PEM private keys, one after the other (as a key file holds them). */
  constructor(privateKeysPem: string) {
    for (const privateKey of readPrivateKeys(privateKeysPem)) {
      const raw = Buffer.from(rawPublicKey(createPublicKey(privateKey)), 'base64url');
      this.keys.set(keyIdOf(raw), { privateKey, raw });
    }
  }

  /** The ids of the keys it holds (what a sealed value names as its recipient). */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** The secret; throws SealedSecretError when the value is malformed, sealed to another key or for another context, or altered. */
  open(sealed: string, context: string): string {
    if (!SEALED_SECRET.test(sealed)) throw new SealedSecretError('not a sealed secret');
    const [, keyId, ephemeral, nonce, data] = sealed.split('.');
    const key = this.keys.get(keyId);
    if (!key) throw new SealedSecretError(`sealed to key ${keyId}, which this service does not hold (it holds ${this.keyIds.join(', ')})`);
    const ephemeralRaw = Buffer.from(ephemeral, 'base64url');
    const body = Buffer.from(data, 'base64url');
    try {
      const shared = diffieHellman({ privateKey: key.privateKey, publicKey: importPublicKey(ephemeral) });
      const decipher = createDecipheriv('aes-256-gcm', contentKey(shared, ephemeralRaw, key.raw), Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new SealedSecretError('cannot be opened: altered, or sealed for another use or organisation', { cause: error });
    }
  }
}

function contentKey(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), INFO, 32));
}

function keyIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest().subarray(0, 8).toString('base64url');
}

function rawPublicKey(key: KeyObject): string {
  return key.export({ format: 'jwk' }).x as string;
}

function importPublicKey(publicKey: string): KeyObject {
  if (!/^[A-Za-z0-9_-]{43}$/.test(publicKey) || Buffer.from(publicKey, 'base64url').length !== RAW_KEY_BYTES) {
    throw new SealedSecretError('not an X25519 public key (32 bytes in base64url, 43 characters)');
  }
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: publicKey }, format: 'jwk' });
}

/** Every PEM private key in the text, each X25519; throws naming what is wrong. */
export function readPrivateKeys(text: string): KeyObject[] {
  const blocks = text.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g) ?? [];
  if (blocks.length === 0) throw new SealedSecretError('holds no PEM private key (-----BEGIN PRIVATE KEY-----)');
  return blocks.map((block, index) => {
    let key: KeyObject;
    try {
      key = createPrivateKey(block);
    } catch (error) {
      throw new SealedSecretError(`private key ${index + 1} cannot be read`, { cause: error });
    }
    if (key.asymmetricKeyType !== 'x25519') throw new SealedSecretError(`private key ${index + 1} is ${key.asymmetricKeyType}, not X25519`);
    return key;
  });
}
