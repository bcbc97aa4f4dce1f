import { newSealingKeyPair, SecretOpener, SecretSealer } from './sealed-secret';
import { openSmtpUrl, openVapidPrivateKey, sealSmtpUrl, sealVapidPrivateKey, senderSecretContext } from './sender-secrets';

const ORG = '0123456789abcdef01234567';
const OTHER_ORG = '76543210fedcba9876543210';

describe('sender secrets', () => {
  const delivery = newSealingKeyPair();
  const sealer = new SecretSealer(delivery.publicKey);
  const opener = new SecretOpener(delivery.privateKeyPem);
  const url = `smtps://alerts%40own-rights.example:${encodeURIComponent('s3cret/pass@word:%')}@mail.own-rights.example:465`;

  it('takes the password out of an SMTP URL, seals it, and puts it back as it was', () => {
    const sealed = sealSmtpUrl(sealer, ORG, url);
    expect(sealed.url).toBe('smtps://alerts%40own-rights.example@mail.own-rights.example:465');
    expect(JSON.stringify(sealed)).not.toMatch(/s3cret/);
    expect(openSmtpUrl(opener, ORG, sealed)).toBe(url);
    expect(decodeURIComponent(new URL(openSmtpUrl(opener, ORG, sealed)).password)).toBe('s3cret/pass@word:%');
  });

  it('leaves a URL without a password as it is, with nothing sealed', () => {
    expect(sealSmtpUrl(sealer, ORG, 'smtp://relay.example.org')).toEqual({ url: 'smtp://relay.example.org' });
    expect(sealSmtpUrl(sealer, ORG, 'smtp://user@relay.example.org:587')).toEqual({ url: 'smtp://user@relay.example.org:587' });
    expect(openSmtpUrl(opener, ORG, { url: 'smtp://relay.example.org' })).toBe('smtp://relay.example.org');
  });

  it('opens a password or a VAPID key only for the organisation and use it was sealed for', () => {
    const smtp = sealSmtpUrl(sealer, ORG, url);
    expect(() => openSmtpUrl(opener, OTHER_ORG, smtp)).toThrow('cannot be opened');
    const vapid = sealVapidPrivateKey(sealer, ORG, 'vapid-private-key-bytes');
    expect(openVapidPrivateKey(opener, ORG, vapid)).toBe('vapid-private-key-bytes');
    expect(() => openVapidPrivateKey(opener, OTHER_ORG, vapid)).toThrow('cannot be opened');
    // A sealed password handed over as a VAPID key (or the other way round) is refused.
    expect(() => openVapidPrivateKey(opener, ORG, smtp.passwordSealed!)).toThrow('cannot be opened');
    expect(() => openSmtpUrl(opener, ORG, { url: smtp.url, passwordSealed: vapid })).toThrow('cannot be opened');
    expect(senderSecretContext('smtp-password', ORG)).toBe(`clarion/smtp-password/${ORG}`);
  });
});
