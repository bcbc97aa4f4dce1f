import { createAccount, fromPublic, fromSeed } from 'nkeys.js';
import { busAuthenticator, newBusKeyPair, publicKeyOfSeed, signBytes, signingKey, verifyBytes, verifyingKey } from './bus-identity';

const encode = (text: string) => new TextEncoder().encode(text);

describe('bus identities (NKeys) with Node’s Ed25519', () => {
  it('makes user NKeys that nkeys.js, as the NATS tooling does, reads as the same key pair', () => {
    const pair = newBusKeyPair();
    expect(pair.seed).toMatch(/^SU[A-Z2-7]{56}$/);
    expect(pair.publicKey).toMatch(/^U[A-Z2-7]{55}$/);
    expect(fromSeed(encode(pair.seed)).getPublicKey()).toBe(pair.publicKey);
    expect(publicKeyOfSeed(pair.seed)).toBe(pair.publicKey);
    expect(newBusKeyPair().seed).not.toBe(pair.seed);
  });

  it('answers the server’s nkey challenge with a signature nkeys.js verifies, and nothing signed without a nonce', () => {
    const pair = newBusKeyPair();
    const auth = busAuthenticator(pair.seed)('nonce-from-the-server') as { nkey: string; sig: string };
    expect(auth.nkey).toBe(pair.publicKey);
    expect(fromPublic(pair.publicKey).verify(encode('nonce-from-the-server'), Buffer.from(auth.sig, 'base64'))).toBe(true);
    expect(fromPublic(pair.publicKey).verify(encode('another nonce'), Buffer.from(auth.sig, 'base64'))).toBe(false);
    expect(busAuthenticator(pair.seed)()).toEqual({ nkey: pair.publicKey, sig: '' });
  });

  it('signs caller assertions that only the matching public key verifies', () => {
    const [alice, bob] = [newBusKeyPair(), newBusKeyPair()];
    const data = Buffer.from('subscriptions asks delivery');
    const signature = signBytes(signingKey(alice.seed), data);
    expect(verifyBytes(verifyingKey(alice.publicKey), data, signature)).toBe(true);
    expect(verifyBytes(verifyingKey(bob.publicKey), data, signature)).toBe(false);
  });

  it('refuses what is not a user seed, naming it', () => {
    const accountSeed = new TextDecoder().decode(createAccount().getSeed());
    expect(() => publicKeyOfSeed(accountSeed)).toThrow('not an NKey user seed (SU…)');
    expect(() => publicKeyOfSeed('SUnot-a-seed')).toThrow('not an NKey user seed (SU…)');
    expect(() => busAuthenticator('')).toThrow('not an NKey user seed (SU…)');
  });
});
