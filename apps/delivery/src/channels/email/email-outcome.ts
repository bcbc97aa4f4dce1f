import { errorMessage } from '../../common/error-message';
import type { SendOutcome } from '../channel';

/** The fields of a nodemailer error that decide what to do next. */
interface SmtpFailure {
  responseCode?: number;
  command?: string;
  response?: string;
}

/**
 * A permanent reply to these commands is about this recipient or this message.
 * One to MAIL FROM or AUTH means our own sender settings are wrong: retrying is
 * bounded, and suppressing every supporter of the organisation would be worse.
 */
const RECIPIENT_COMMANDS = new Set(['RCPT TO', 'DATA']);

/** 503 is "bad sequence of commands", a protocol hiccup rather than a verdict on the recipient. */
const BAD_SEQUENCE = 503;

const EMAIL_ADDRESS = /[^\s<>"'@]+@[^\s<>"'@]+/g;

/** SMTP 5xx for the recipient → suppress; 4xx, timeouts and network errors → retry. */
export function emailOutcome(error: unknown): SendOutcome {
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? error : {};
  const reason = withoutAddresses(failure.response ?? errorMessage(error));
  const code = failure.responseCode;
  if (code !== undefined && code >= 500 && code < 600 && code !== BAD_SEQUENCE && RECIPIENT_COMMANDS.has(failure.command ?? '')) {
    return { kind: 'suppress', reason, code };
  }
  return { kind: 'retry', reason };
}

/** Servers often echo the address in their reply; the ledger and the logs keep no addresses. */
export function withoutAddresses(text: string): string {
  return text.replace(EMAIL_ADDRESS, '[address]').slice(0, 500);
}
