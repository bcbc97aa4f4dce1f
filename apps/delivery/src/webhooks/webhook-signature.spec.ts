import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signatureHeader } from './webhook-signature';

/** Checked against the reference implementation of Standard Webhooks, not against the signer itself. */
describe('webhook signatures', () => {
  const body = JSON.stringify({ type: 'alert.published', timestamp: '2026-12-07T01:00:00.000Z', data: { alertId: 'a'.repeat(24) } });
  const now = () => Math.floor(Date.now() / 1000);
  const headers = (signature: string, timestamp: number) => ({ 'webhook-id': 'msg_abcdefgh12345678', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it('signs so that the reference implementation verifies, with each secret during a rotation', () => {
    const [old, fresh] = [newWebhookSecret(), newWebhookSecret()];
    const ts = now();
    const header = signatureHeader([old, fresh], 'msg_abcdefgh12345678', ts, body);
    expect(header.split(' ')).toHaveLength(2);
    expect(new Webhook(old).verify(body, headers(header, ts))).toEqual(JSON.parse(body));
    expect(new Webhook(fresh).verify(body, headers(header, ts))).toEqual(JSON.parse(body));
  });

  it('is refused for another secret, an altered body or another id', () => {
    const secret = newWebhookSecret();
    const ts = now();
    const header = signatureHeader([secret], 'msg_abcdefgh12345678', ts, body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers(header, ts))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body.replace('published', 'cancelled'), headers(header, ts))).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(body, { ...headers(header, ts), 'webhook-id': 'msg_other' })).toThrow(WebhookVerificationError);
  });
});
