import { EMPTY_TWIML, inboundSmsAnswer, MAX_INBOUND_BYTES, readInboundSms, type InboundSmsSettings } from './inbound-sms';
import { smsKeyword } from './sms-keywords';
import { twilioSignature } from './twilio-signature';

const settings: InboundSmsSettings = {
  webhookUrl: 'https://clarion.example.org/webhooks/sms/twilio',
  accountSid: `AC${'1'.repeat(32)}`,
  authToken: 'an-auth-token-of-the-test-account',
};
const FORM = 'application/x-www-form-urlencoded';

/** A reply as Twilio posts it: the form, and its signature made with the account's token. */
function reply(fields: Record<string, string> = {}, token = settings.authToken) {
  const form = new URLSearchParams({
    ToCountry: 'FR',
    SmsMessageSid: `SM${'a'.repeat(32)}`,
    NumMedia: '0',
    MessageSid: `SM${'a'.repeat(32)}`,
    AccountSid: settings.accountSid,
    From: '+33612345678',
    To: '+33700000001',
    Body: 'STOP',
    NumSegments: '1',
    ApiVersion: '2010-04-01',
    ...fields,
  });
  return { contentType: `${FORM}; charset=UTF-8`, signature: twilioSignature(token, settings.webhookUrl, form), body: form.toString() };
}

describe('readInboundSms', () => {
  it('reads a signed STOP as: opt this number out, once, keyed by the reply’s id', () => {
    expect(readInboundSms(reply(), settings)).toEqual({
      ok: true,
      action: { kind: 'opt-out', from: '+33612345678', to: '+33700000001', messageSid: `SM${'a'.repeat(32)}` },
    });
    expect(readInboundSms(reply({ Body: ' start ' }), settings)).toMatchObject({ ok: true, action: { kind: 'opt-in', from: '+33612345678' } });
  });

  it('asks for nothing on any other reply', () => {
    expect(readInboundSms(reply({ Body: 'Who is this?' }), settings)).toEqual({ ok: true, action: { kind: 'none', messageSid: `SM${'a'.repeat(32)}` } });
  });

  it('keys a replay by the same MessageSid, and refuses one given a fresh MessageSid to get past the handler’s once-only check', () => {
    const once = reply({ Body: 'START' });
    const first = readInboundSms(once, settings);
    expect(readInboundSms({ ...once }, settings)).toEqual(first);
    const form = new URLSearchParams(once.body);
    form.set('MessageSid', `SM${'b'.repeat(32)}`);
    expect(readInboundSms({ ...once, body: form.toString() }, settings)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a forged From, Body or To: the signature covers the whole form', () => {
    for (const field of ['From', 'Body', 'To']) {
      const signed = reply();
      const form = new URLSearchParams(signed.body);
      form.set(field, field === 'Body' ? 'START' : '+33699999999');
      expect(readInboundSms({ ...signed, body: form.toString() }, settings)).toEqual({ ok: false, status: 403, reason: 'X-Twilio-Signature missing or wrong' });
    }
    const added = reply();
    expect(readInboundSms({ ...added, body: `${added.body}&From=%2B33699999999` }, settings)).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a missing signature, one made with another token, or for another URL', () => {
    expect(readInboundSms({ ...reply(), signature: undefined }, settings)).toMatchObject({ ok: false, status: 403 });
    expect(readInboundSms(reply({}, 'someone-elses-token'), settings)).toMatchObject({ ok: false, status: 403 });
    expect(readInboundSms(reply(), { ...settings, webhookUrl: 'https://evil.example.org/webhooks/sms/twilio' })).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses another account’s reply even when signed, and malformed fields', () => {
    expect(readInboundSms(reply({ AccountSid: `AC${'2'.repeat(32)}` }), settings)).toMatchObject({ ok: false, status: 403 });
    expect(readInboundSms(reply({ MessageSid: 'SM123' }), settings)).toEqual({ ok: false, status: 400, reason: 'MessageSid is missing or malformed' });
    expect(readInboundSms(reply({ From: '0612345678' }), settings)).toEqual({ ok: false, status: 400, reason: 'From is missing or malformed' });
    expect(readInboundSms(reply({ To: '' }), settings)).toEqual({ ok: false, status: 400, reason: 'To is missing or malformed' });
    expect(readInboundSms(reply({ Body: 'x'.repeat(1601) }), settings)).toEqual({ ok: false, status: 400, reason: 'Body is missing or malformed' });
  });

  it('refuses a field given twice, which could be read two ways', () => {
    const signed = reply();
    const form = new URLSearchParams(signed.body);
    form.append('From', '+33699999999');
    const twice = { ...signed, body: form.toString(), signature: twilioSignature(settings.authToken, settings.webhookUrl, form) };
    expect(readInboundSms(twice, settings)).toEqual({ ok: false, status: 400, reason: 'From is missing or malformed' });
  });

  it('refuses an oversize body before reading it, and anything but a form', () => {
    const huge = reply({ Padding: 'x'.repeat(MAX_INBOUND_BYTES) });
    expect(readInboundSms(huge, settings)).toEqual({ ok: false, status: 413, reason: `body exceeds ${MAX_INBOUND_BYTES} bytes` });
    expect(readInboundSms({ ...huge, body: Buffer.from(huge.body) }, settings)).toMatchObject({ ok: false, status: 413 });
    const signed = reply();
    expect(readInboundSms({ ...signed, contentType: 'application/json' }, settings)).toMatchObject({ ok: false, status: 415 });
    expect(readInboundSms({ ...signed, contentType: undefined }, settings)).toMatchObject({ ok: false, status: 415 });
    expect(readInboundSms({ ...signed, body: JSON.stringify({ From: '+33612345678', Body: 'STOP' }), contentType: FORM }, settings)).toMatchObject({
      ok: false,
      status: 403,
    });
  });
});

describe('inboundSmsAnswer', () => {
  it('answers empty TwiML to a reply it read, and only the status to a refusal, not which check failed', () => {
    expect(inboundSmsAnswer(readInboundSms(reply({ Body: 'hello' }), settings))).toEqual({ status: 200, contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML });
    const forged = inboundSmsAnswer(readInboundSms({ ...reply(), signature: 'AAAA' }, settings));
    expect(forged).toEqual({ status: 403, contentType: 'text/plain; charset=utf-8', body: 'refused' });
    expect(inboundSmsAnswer(readInboundSms({ ...reply(), contentType: 'text/plain' }, settings))).toMatchObject({ status: 415, body: 'bad request' });
  });
});

describe('smsKeyword', () => {
  it('knows STOP and its usual variants, whatever the case, spaces, accents or punctuation', () => {
    for (const body of ['STOP', 'stop', ' Stop. ', 'STOP ALL', 'Unsubscribe', 'cancel', 'END', 'quit', 'opt-out', 'revoke', 'ARRÊT', 'arret', 'Parar', 'ALTO', 'baja', 'SAIR', 'Stopp', 'désabonner']) {
      expect([body, smsKeyword(body)]).toEqual([body, 'opt-out']);
    }
  });

  it('knows START and UNSTOP as opting back in', () => {
    expect(smsKeyword('START')).toBe('opt-in');
    expect(smsKeyword('unstop')).toBe('opt-in');
  });

  it('takes only a whole reply as a keyword', () => {
    for (const body of ['please don’t stop', 'STOP IT', 'stopped', 'HELP', '', 'Start the campaign']) expect(smsKeyword(body)).toBeUndefined();
  });
});
