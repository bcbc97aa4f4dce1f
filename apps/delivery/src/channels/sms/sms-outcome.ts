import { retryAfterMs } from '../../common/retry-after';
import type { SendOutcome } from '../channel';

/**
 * Twilio's error codes that are a verdict on the number itself: it does not
 * exist, cannot take texts, or its owner opted out at the carrier (STOP sent
 * somewhere we did not hear). The same codes arrive later in status callbacks
 * (30003–30006), and gateways copying Twilio's API use them.
 */
const NUMBER_REFUSED: ReadonlyMap<number, string> = new Map([
  [21211, 'invalid To number'],
  [21214, 'To number cannot be reached'],
  [21217, 'number does not appear to be valid'],
  [21407, 'number type does not support SMS'],
  [21610, 'recipient unsubscribed (replied STOP)'],
  [21612, 'To number not reachable by SMS'],
  [21614, 'To number is not a mobile number'],
  [21635, 'To number is a landline'],
  [30003, 'handset unreachable'],
  [30004, 'recipient blocked messages'],
  [30005, 'unknown destination handset'],
  [30006, 'landline or unreachable carrier'],
]);

/** What a provider may echo that names a person: a phone number in the message. */
const PHONE_NUMBER = /\+?\d[\d ().-]{5,}\d/g;
const MAX_REASON = 300;

/**
 * What a provider's answer to a send means. Only a verdict on the number
 * suppresses; every other refusal (our credentials, sender number, region
 * permissions, a message it will not take) is retried within the batch's
 * bounded attempts: none of those is the supporter's fault, and suppressing
 * would cost them their subscription.
 */
export function smsOutcome(status: number, retryAfter: string | null, body: string, now = Date.now()): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'sent' };
  const error = twilioError(body);
  const reason = `SMS provider answered ${status}${error.code ? ` (error ${error.code})` : ''}${error.message ? `: ${error.message}` : ''}`
    .replace(PHONE_NUMBER, '[number]')
    .slice(0, MAX_REASON);
  const verdict = error.code === undefined ? undefined : NUMBER_REFUSED.get(error.code);
  if (verdict && status >= 400 && status < 500) return { kind: 'suppress', reason: `${verdict}; ${reason}`, code: error.code! };
  if (status === 429 || status >= 500) return { kind: 'retry', reason, retryAfterMs: retryAfterMs(retryAfter, now) };
  return { kind: 'retry', reason };
}

/** Twilio's error body: `{ code, message, more_info, status }`; anything else gives nothing. */
function twilioError(body: string): { code?: number; message?: string } {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { code, message } = parsed as { code?: unknown; message?: unknown };
    return { ...(Number.isInteger(code) ? { code: code as number } : {}), ...(typeof message === 'string' ? { message } : {}) };
  } catch {
    return {};
  }
}
