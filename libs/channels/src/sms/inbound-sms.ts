import { smsKeyword } from './sms-keywords';
import { hasTwilioSignature } from './twilio-signature';

/** A provider's POST to the inbound webhook, as the gateway route hands it over (the body unparsed). */
export interface InboundSmsRequest {
  contentType: string | undefined;
  signature: string | undefined;
  body: string | Buffer;
}

export interface InboundSmsSettings {
  /** The webhook's URL exactly as configured at the provider (SMS_INBOUND_WEBHOOK_URL): it is part of what is signed, and never taken from the request's Host. */
  webhookUrl: string;
  accountSid: string;
  authToken: string;
}

/** What the supporter's reply asks for; `messageSid` is the provider's id of the reply, the key that makes acting on it once (a replay is a no-op). */
export type InboundSmsAction =
  | { kind: 'opt-out' | 'opt-in'; from: string; to: string; messageSid: string }
  | { kind: 'none'; messageSid: string };

export type InboundSmsVerdict = { ok: true; action: InboundSmsAction } | { ok: false; status: 400 | 403 | 413 | 415; reason: string };

/**
 * Twilio posts a few dozen short fields; 1600 characters of body percent-encoded
 * as UTF-8 take at most 14.4 KB. Anything larger is refused unread.
 */
export const MAX_INBOUND_BYTES = 32 * 1024;
/** The longest body Twilio delivers (10 concatenated parts). */
const MAX_BODY_CHARACTERS = 1600;
const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/** Twilio's "do nothing more": the reply it expects from a messaging webhook. Carriers and Twilio send the STOP confirmation themselves. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * Reads a reply posted to the inbound webhook: size and type first, then
 * Twilio's signature over the whole form (so From, To and Body cannot be
 * forged or altered), then the fields. Refusals say little: the caller
 * learns "refused", not which check it met.
 */
export function readInboundSms(request: InboundSmsRequest, settings: InboundSmsSettings): InboundSmsVerdict {
  const size = typeof request.body === 'string' ? Buffer.byteLength(request.body) : request.body.length;
  if (size > MAX_INBOUND_BYTES) return { ok: false, status: 413, reason: `body exceeds ${MAX_INBOUND_BYTES} bytes` };
  const mediaType = request.contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/x-www-form-urlencoded') return { ok: false, status: 415, reason: 'body must be application/x-www-form-urlencoded' };

  const form = new URLSearchParams(request.body.toString());
  if (!hasTwilioSignature(settings.authToken, settings.webhookUrl, form, request.signature)) {
    return { ok: false, status: 403, reason: 'X-Twilio-Signature missing or wrong' };
  }
  // Signed, so these come from the provider; still checked, as a provider's own bug must not become a wrong unsubscribe.
  if (form.get('AccountSid') !== settings.accountSid) return { ok: false, status: 403, reason: 'AccountSid is not this installation’s' };
  const messageSid = single(form, 'MessageSid');
  if (!messageSid || !MESSAGE_SID.test(messageSid)) return invalid('MessageSid');
  const from = single(form, 'From');
  const to = single(form, 'To');
  const body = single(form, 'Body');
  if (!from || !E164.test(from)) return invalid('From');
  if (!to) return invalid('To');
  if (body === undefined || Array.from(body).length > MAX_BODY_CHARACTERS) return invalid('Body');

  const keyword = smsKeyword(body);
  return { ok: true, action: keyword ? { kind: keyword, from, to, messageSid } : { kind: 'none', messageSid } };
}

/** One value, or undefined when the field is missing or repeated (a repeated field is ambiguous). */
function single(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  return values.length === 1 ? values[0] : undefined;
}

function invalid(field: string): InboundSmsVerdict {
  return { ok: false, status: 400, reason: `${field} is missing or malformed` };
}

export interface InboundSmsAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * What the webhook route answers: empty TwiML to any reply it read (the provider wants a 200 and
 * sends the STOP confirmation itself), the bare status to a refusal. The refusal's reason is for
 * the log, not for whoever posted it.
 */
export function inboundSmsAnswer(verdict: InboundSmsVerdict): InboundSmsAnswer {
  if (verdict.ok) return { status: 200, contentType: 'text/xml; charset=utf-8', body: EMPTY_TWIML };
  return { status: verdict.status, contentType: 'text/plain; charset=utf-8', body: verdict.status === 403 ? 'refused' : 'bad request' };
}
