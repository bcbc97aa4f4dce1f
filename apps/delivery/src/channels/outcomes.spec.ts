import { WebPushError } from 'web-push';
import { NonPublicAddressError } from '@clarion/security';
import { emailOutcome } from './email/email-outcome';
import { pushTtlSeconds, webPushUrgency } from './push/push-headers';
import { pushOutcome } from './push/push-outcome';

/** A nodemailer error as the SMTP connection reports it. */
function smtpError(responseCode: number, command: string, response: string) {
  return Object.assign(new Error(`Can't send mail - all recipients were rejected: ${response}`), { code: 'EENVELOPE', responseCode, command, response });
}

function pushError(status: number, headers: Record<string, string> = {}) {
  return new WebPushError('Received unexpected response code', status, headers, 'nope', 'https://push.example.org/secret-endpoint');
}

describe('emailOutcome', () => {
  it('suppresses a recipient the server refused for good, without keeping the address', () => {
    expect(emailOutcome(smtpError(550, 'RCPT TO', '550 5.1.1 <ada@example.org>: No such user'))).toEqual({
      kind: 'suppress',
      code: 550,
      reason: '550 5.1.1 <[address]>: No such user',
    });
    expect(emailOutcome(smtpError(554, 'DATA', '554 5.7.1 rejected'))).toMatchObject({ kind: 'suppress', code: 554 });
  });

  it('retries a temporary refusal, a network failure, and a permanent one about our own sender settings', () => {
    expect(emailOutcome(smtpError(450, 'RCPT TO', '450 4.2.0 greylisted'))).toEqual({ kind: 'retry', reason: '450 4.2.0 greylisted' });
    expect(emailOutcome(smtpError(503, 'RCPT TO', '503 bad sequence'))).toMatchObject({ kind: 'retry' });
    expect(emailOutcome(smtpError(535, 'AUTH PLAIN', '535 authentication failed'))).toMatchObject({ kind: 'retry' });
    expect(emailOutcome(smtpError(550, 'MAIL FROM', '550 sender not allowed'))).toMatchObject({ kind: 'retry' });
    expect(emailOutcome(Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' }))).toEqual({ kind: 'retry', reason: 'Greeting never received' });
  });

  it('retries a server that closes with 421 or drops the connection, whatever command was in flight', () => {
    // What nodemailer reports when a 421 ends the session, even one answered to RCPT TO.
    const closing = Object.assign(new Error('Server closed the connection'), { code: 'ECONNECTION', responseCode: 421, command: 'CONN', response: '421 Too busy' });
    expect(emailOutcome(closing)).toEqual({ kind: 'retry', reason: '421 Too busy' });
    expect(emailOutcome(Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION', command: 'CONN' }))).toMatchObject({ kind: 'retry' });
    expect(emailOutcome(Object.assign(new Error('read ECONNRESET'), { code: 'ESOCKET', command: 'CONN' }))).toMatchObject({ kind: 'retry' });
  });
});

describe('pushOutcome', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('treats 404 and 410 as a subscription that is gone', () => {
    expect(pushOutcome(pushError(410), now)).toMatchObject({ kind: 'gone', status: 410 });
    expect(pushOutcome(pushError(404), now)).toMatchObject({ kind: 'gone', status: 404 });
  });

  it('retries 429 after the Retry-After the push service gave (seconds or a date), and 5xx', () => {
    expect(pushOutcome(pushError(429, { 'retry-after': '30' }), now)).toMatchObject({ kind: 'retry', retryAfterMs: 30_000 });
    expect(pushOutcome(pushError(429, { 'retry-after': 'Tue, 01 Jan 2030 00:01:00 GMT' }), now)).toMatchObject({ kind: 'retry', retryAfterMs: 60_000 });
    expect(pushOutcome(pushError(429), now)).toEqual(expect.objectContaining({ kind: 'retry', retryAfterMs: undefined }));
    expect(pushOutcome(pushError(503), now)).toMatchObject({ kind: 'retry' });
  });

  it('retries when nobody answered, and suppresses other refusals and non-public addresses', () => {
    expect(pushOutcome(new Error('Socket timeout'), now)).toEqual({ kind: 'retry', reason: 'push service unreachable: Socket timeout' });
    expect(pushOutcome(pushError(403), now)).toMatchObject({ kind: 'suppress', code: 403 });
    expect(pushOutcome(new NonPublicAddressError('evil.example.org'), now)).toMatchObject({ kind: 'suppress', code: 0 });
  });

  it('never puts the endpoint in the reason', () => {
    expect(JSON.stringify(pushOutcome(pushError(410), now))).not.toContain('secret-endpoint');
  });
});

describe('push headers', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');

  it('keeps a push until the alert expires, at least a minute, a day when it never expires', () => {
    expect(pushTtlSeconds('2030-01-01T02:00:00Z', now)).toBe(7_200);
    expect(pushTtlSeconds('2030-01-01T00:00:10Z', now)).toBe(60);
    expect(pushTtlSeconds(undefined, now)).toBe(86_400);
    expect(pushTtlSeconds('2031-01-01T00:00:00Z', now)).toBe(28 * 86_400);
  });

  it('maps critical to high, the highest push urgency', () => {
    expect(webPushUrgency('critical')).toBe('high');
    expect(webPushUrgency('low')).toBe('low');
  });
});
