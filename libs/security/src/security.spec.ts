import { SecretBox } from './secret-box';
import { LinkSigner } from './signed-token';

const SECRET = 'a-test-installation-secret-of-enough-length';

describe('LinkSigner', () => {
  const signer = new LinkSigner(SECRET);

  it('round-trips claims of the same kind', () => {
    const token = signer.sign('unsubscribe', { s: 'abc', c: 'email' });
    expect(signer.verify('unsubscribe', token)).toMatchObject({ s: 'abc', c: 'email' });
  });

  it('refuses a token of another kind, a forged one, one from another installation, and an expired one', () => {
    const token = signer.sign('unsubscribe', { s: 'abc' });
    expect(signer.verify('click', token)).toBeUndefined();
    const [payload] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: 'unsubscribe', s: 'other' })).toString('base64url')}.${token.split('.')[1]}`;
    expect(signer.verify('unsubscribe', forged)).toBeUndefined();
    expect(new LinkSigner(`${SECRET}-elsewhere`).verify('unsubscribe', token)).toBeUndefined();
    expect(signer.verify('unsubscribe', `${payload}`)).toBeUndefined();
    const expired = signer.sign('confirm', { s: 'abc' }, -10);
    expect(signer.verify('confirm', expired)).toBeUndefined();
  });
});

describe('SecretBox', () => {
  it('seals with a fresh nonce each time and opens only with the same secret', () => {
    const box = new SecretBox(SECRET);
    const a = box.seal('private key');
    expect(a).not.toEqual(box.seal('private key'));
    expect(box.open(a)).toBe('private key');
    expect(() => new SecretBox(`${SECRET}x`).open(a)).toThrow();
  });
});
