import { WebPushError } from 'web-push';
import { NonPublicAddressError } from '@clarion/security';
import { errorMessage } from '../../common/error-message';
import { retryAfterMs } from '../../common/retry-after';
import { REFUSED_LOCALLY, type SendOutcome } from '../channel';

const MAX_BODY_IN_REASON = 200;

/** What a push service's refusal means: 404/410 gone, 429 and 5xx retry, other 4xx suppress; no answer at all is a retry. */
export function pushOutcome(error: unknown, now = Date.now()): SendOutcome {
  if (error instanceof NonPublicAddressError) return { kind: 'suppress', reason: error.message, code: REFUSED_LOCALLY };
  if (!(error instanceof WebPushError)) return { kind: 'retry', reason: `push service unreachable: ${errorMessage(error)}` };

  const status = error.statusCode;
  // The status says all about a gone subscription, and its body may name the subscription.
  if (status === 404 || status === 410) return { kind: 'gone', reason: `push service answered ${status}`, status };
  const reason = `push service answered ${status}${error.body ? `: ${String(error.body).slice(0, MAX_BODY_IN_REASON)}` : ''}`;
  if (status === 429) return { kind: 'retry', reason, retryAfterMs: retryAfterMs(error.headers?.['retry-after'], now) };
  if (status >= 500) return { kind: 'retry', reason };
  return { kind: 'suppress', reason, code: status };
}
