import { hasTwilioSignature, twilioSignature } from './twilio-signature';

// The worked example in Twilio's webhook security docs (auth token 12345), with its published signature:
// the only fixture here this code did not produce, so the one that catches a self-consistent mistake.
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = new URLSearchParams({ To: '+18005551212', From: '+14158675309', Digits: '1234', CallSid: 'CA1234567890ABCDE', Caller: '+14158675309' });
const published = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('twilioSignature', () => {
  it('gives the signature Twilio documents for its example', () => {
    expect(twilioSignature('12345', url, params)).toBe(published);
  });

  it('signs each distinct value of a repeated field, sorted', () => {
    const repeated = new URLSearchParams([['A', '2'], ['A', '1'], ['A', '2']]);
    expect(twilioSignature('t', 'https://x.example/', repeated)).toBe(twilioSignature('t', 'https://x.example/', new URLSearchParams([['A', '1'], ['A', '2']])));
  });
});

describe('hasTwilioSignature', () => {
  it('accepts the published signature, with or without the default port in the URL', () => {
    expect(hasTwilioSignature('12345', url, params, published)).toBe(true);
    expect(hasTwilioSignature('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params, published)).toBe(true);
    const signedWithPort = twilioSignature('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params);
    expect(hasTwilioSignature('12345', url, params, signedWithPort)).toBe(true);
  });

  it('refuses a changed field, another URL, another token, and no signature at all', () => {
    const forged = new URLSearchParams(params);
    forged.set('From', '+14158675310');
    expect(hasTwilioSignature('12345', url, forged, published)).toBe(false);
    expect(hasTwilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=3', params, published)).toBe(false);
    expect(hasTwilioSignature('54321', url, params, published)).toBe(false);
    expect(hasTwilioSignature('12345', url, params, undefined)).toBe(false);
    expect(hasTwilioSignature('12345', url, params, '')).toBe(false);
    expect(hasTwilioSignature('12345', url, params, published.slice(0, -1))).toBe(false);
  });
});
