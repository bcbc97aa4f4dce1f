import webpush from 'web-push';
import { VapidHeaders } from './vapid-headers';

const keys = { subject: 'mailto:ops@example.org', ...webpush.generateVAPIDKeys() };
const other = { subject: 'mailto:ops@example.org', ...webpush.generateVAPIDKeys() };

/** The token's claims, as the push service reads them. */
function claims(authorization: string): { aud: string; exp: number } {
  const token = /^vapid t=([^,]+), k=/.exec(authorization)?.[1] ?? '';
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('VapidHeaders', () => {
  it('signs for the push service origin and reuses the header for that origin and key pair', () => {
    const headers = new VapidHeaders();
    const now = Math.floor(Date.now() / 1000) * 1000; // web-push refuses a token that ends more than a day from the real clock
    const first = headers.authorization('https://push.example.net/send/abc', keys, now);
    expect(claims(first)).toEqual(expect.objectContaining({ aud: 'https://push.example.net', exp: now / 1000 + 12 * 3600 }));
    expect(first).toContain(`k=${keys.publicKey}`);
    expect(headers.authorization('https://push.example.net/send/def', keys, now + 1_000)).toBe(first);
    expect(headers.authorization('https://other.example.net/send/abc', keys, now)).not.toBe(first);
    expect(headers.authorization('https://push.example.net/send/abc', other, now)).not.toBe(first);
  });

  it('signs a new header after an hour', () => {
    const headers = new VapidHeaders();
    const now = Math.floor(Date.now() / 1000) * 1000; // web-push refuses a token that ends more than a day from the real clock
    const first = headers.authorization('https://push.example.net/send/abc', keys, now);
    const later = headers.authorization('https://push.example.net/send/abc', keys, now + 61 * 60_000);
    expect(later).not.toBe(first);
    expect(claims(later).exp).toBe(now / 1000 + 61 * 60 + 12 * 3600);
  });
});
