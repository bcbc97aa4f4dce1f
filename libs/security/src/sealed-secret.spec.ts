import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { sealedSecret } from '@clarion/contracts';
import {
  newSealingKeyPair,
  sealingPublicKeyOf,
  SealedSecretError,
  SecretOpener,
  SecretSealer,
  SEALED_SECRET,
} from './sealed-secret';
import { senderSecretContext } from './sender-secrets';

const ORG = '0123456789abcdef01234567';
const OTHER_ORG = '76543210fedcba9876543210';
const SECRET = 'pa$$word-only-delivery-reads';

describe('sealed secrets (X25519 + HKDF-SHA256 + AES-256-GCM)', () => {
  const delivery = newSealingKeyPair();
  const sealer = new SecretSealer(delivery.publicKey);
  const opener = new SecretOpener(delivery.privateKeyPem);
  const context = senderSecretContext('smtp-password', ORG);

  it('opens what was sealed to its key, for the same context; each seal is different', () => {
    const a = sealer.seal(SECRET, context);
    const b = sealer.seal(SECRET, context);
    expect(a).not.toEqual(b);
    expect(opener.open(a, context)).toBe(SECRET);
    expect(opener.open(b, context)).toBe(SECRET);
    expect(opener.open(sealer.seal('', context), context)).toBe('');
    expect(opener.open(sealer.seal('ünïcødé ✓', context), context)).toBe('ünïcødé ✓');
  });

  it('shows nothing of the secret, and has the form the contracts carry', () => {
    const sealed = sealer.seal(SECRET, context);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(sealed).toMatch(SEALED_SECRET);
    expect(sealedSecret.safeParse(sealed).success).toBe(true);
    expect(sealedSecret.safeParse(SECRET).success).toBe(false);
  });

  it('refuses a value sealed to another key, naming the key it was sealed to', () => {
    const other = newSealingKeyPair();
    const sealed = new SecretSealer(other.publicKey).seal(SECRET, context);
    expect(() => opener.open(sealed, context)).toThrow(SealedSecretError);
    expect(() => opener.open(sealed, context)).toThrow(`sealed to key ${new SecretSealer(other.publicKey).keyId}`);
    // Pretending it was sealed to delivery's key does not help either.
    const relabelled = sealed.replace(/^x1\.[^.]+\./, `x1.${sealer.keyId}.`);
    expect(() => opener.open(relabelled, context)).toThrow('cannot be opened');
  });

  it('refuses a value moved to another organisation or another use', () => {
    const sealed = sealer.seal(SECRET, context);
    expect(() => opener.open(sealed, senderSecretContext('smtp-password', OTHER_ORG))).toThrow('cannot be opened');
    expect(() => opener.open(sealed, senderSecretContext('vapid-private-key', ORG))).toThrow('cannot be opened');
  });

  it('refuses a value altered anywhere: ciphertext, tag, nonce, ephemeral key', () => {
    const sealed = sealer.seal(SECRET, context);
    const parts = sealed.split('.');
    const flip = (text: string, at: number) => {
      const bytes = Buffer.from(text, 'base64url');
      bytes[at] ^= 0x01;
      return bytes.toString('base64url');
    };
    const altered = [
      [parts[0], parts[1], parts[2], parts[3], flip(parts[4], 0)],
      [parts[0], parts[1], parts[2], parts[3], flip(parts[4], Buffer.from(parts[4], 'base64url').length - 1)],
      [parts[0], parts[1], parts[2], flip(parts[3], 0), parts[4]],
      [parts[0], parts[1], flip(parts[2], 5), parts[3], parts[4]],
    ].map((p) => p.join('.'));
    for (const value of altered) expect(() => opener.open(value, context)).toThrow(SealedSecretError);
    for (const value of ['', SECRET, 'v1.abc.def.ghi', `${sealed}.extra`, sealed.replace(/^x1/, 'x2')]) {
      expect(() => opener.open(value, context)).toThrow('not a sealed secret');
    }
  });

  it('opens with any of several keys, as a key file holds them during a rotation', () => {
    const next = newSealingKeyPair();
    const both = new SecretOpener(`${next.privateKeyPem}\n${delivery.privateKeyPem}`);
    expect(both.keyIds).toEqual([new SecretSealer(next.publicKey).keyId, sealer.keyId]);
    expect(both.open(sealer.seal(SECRET, context), context)).toBe(SECRET);
    expect(both.open(new SecretSealer(next.publicKey).seal(SECRET, context), context)).toBe(SECRET);
    expect(sealingPublicKeyOf(`${next.privateKeyPem}\n${delivery.privateKeyPem}`)).toBe(next.publicKey);
  });

  it('reads a key made by openssl, and refuses keys it cannot use', () => {
    let pem: string;
    try {
      pem = execFileSync('openssl', ['genpkey', '-algorithm', 'X25519'], { encoding: 'utf8' });
    } catch {
      pem = newSealingKeyPair().privateKeyPem; // no openssl binary here: the format is still what openssl writes
    }
    const publicKey = sealingPublicKeyOf(pem);
    expect(new SecretOpener(pem).open(new SecretSealer(publicKey).seal(SECRET, context), context)).toBe(SECRET);

    expect(() => new SecretOpener('not a key')).toThrow('holds no PEM private key');
    expect(() => new SecretOpener('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----')).toThrow('private key 1 cannot be read');
    const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => new SecretOpener(ed25519)).toThrow('private key 1 is ed25519, not X25519');
    for (const bad of ['', 'short', `${delivery.publicKey}A`, 'A'.repeat(43).replace(/A$/, '+')]) {
      expect(() => new SecretSealer(bad)).toThrow('not an X25519 public key');
    }
  });
});
