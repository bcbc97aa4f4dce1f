import { smsOutcome } from './sms-outcome';

const twilio = (code: number, message: string, status = 400) => JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
const now = Date.parse('2030-01-01T00:00:00Z');

describe('smsOutcome', () => {
  it('counts any 2xx as sent', () => {
    expect(smsOutcome(201, null, '{"sid":"SM1","status":"queued"}', now)).toEqual({ kind: 'sent' });
    expect(smsOutcome(200, null, '', now)).toEqual({ kind: 'sent' });
  });

  it('suppresses a number the provider refuses for good: invalid, not a mobile, unreachable, opted out — without keeping the number', () => {
    expect(smsOutcome(400, null, twilio(21211, "The 'To' number +33612345678 is not a valid phone number."), now)).toEqual({
      kind: 'suppress',
      code: 21211,
      reason: "invalid To number; SMS provider answered 400 (error 21211): The 'To' number [number] is not a valid phone number.",
    });
    for (const code of [21214, 21217, 21407, 21610, 21612, 21614, 21635, 30003, 30004, 30005, 30006]) {
      expect(smsOutcome(400, null, twilio(code, 'refused'), now)).toMatchObject({ kind: 'suppress', code });
    }
  });

  it('retries 429 and 5xx after the Retry-After the provider gave (seconds or a date)', () => {
    expect(smsOutcome(429, '30', twilio(20429, 'Too Many Requests', 429), now)).toEqual({
      kind: 'retry',
      reason: 'SMS provider answered 429 (error 20429): Too Many Requests',
      retryAfterMs: 30_000,
    });
    expect(smsOutcome(503, 'Tue, 01 Jan 2030 00:01:00 GMT', '<html>busy</html>', now)).toEqual({ kind: 'retry', reason: 'SMS provider answered 503', retryAfterMs: 60_000 });
    expect(smsOutcome(500, null, '', now)).toMatchObject({ kind: 'retry', retryAfterMs: undefined });
  });

  it('retries, never suppresses, what is not the number’s fault: our credentials, sender, region permission, the message itself', () => {
    for (const [status, code] of [
      [401, 20003],
      [400, 21606],
      [400, 21408],
      [400, 21617],
      [400, 21602],
      [404, 20404],
    ]) {
      expect(smsOutcome(status, null, twilio(code, 'refused', status), now)).toMatchObject({ kind: 'retry' });
    }
    expect(smsOutcome(403, null, 'Forbidden', now)).toEqual({ kind: 'retry', reason: 'SMS provider answered 403' });
    expect(smsOutcome(302, null, '', now)).toEqual({ kind: 'retry', reason: 'SMS provider answered 302' });
  });

  it('does not suppress on a number-level code that came with a server error', () => {
    expect(smsOutcome(500, null, twilio(21211, 'odd', 500), now)).toMatchObject({ kind: 'retry' });
  });
});
