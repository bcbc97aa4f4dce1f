import { providerName } from '@clarion/config';
import { errorMessage } from '../../common/error-message';
import type { ChannelAdapter, SendOutcome } from '../channel';
import { smsOutcome } from './sms-outcome';

/** Where and as whom to send: a Twilio account, or a self-hosted gateway that copies Twilio's Messages API. */
export interface SmsProviderSettings {
  /** https://api.twilio.com, or the gateway's base URL (SMS_API_BASE_URL); the operator's, used as given. */
  baseUrl: string;
  accountSid: string;
  /**
   * HTTP Basic credentials: an API key's sid (SK…) and secret, so delivery need not hold the account's
   * auth token, which signs the inbound webhooks the gateway checks; or the account sid and auth token.
   */
  credentials: { user: string; secret: string };
  /** The sender: a number or alphanumeric id (SMS_FROM), or a Messaging Service, which picks one itself (SMS_MESSAGING_SERVICE_SID). */
  sender: { from: string } | { messagingServiceSid: string };
  /** The whole request, answer read included. */
  timeoutMs: number;
}

export interface SmsMessage {
  /** E.164, as the supporter's contact is stored. */
  to: string;
  /** Rendered and already cut to the segment cap (sms-text.ts). */
  body: string;
}

/** Enough for any error Twilio writes; a gateway answering more is not read further. */
const MAX_ANSWER_CHARS = 8_192;

/**
 * SMS through Twilio's Messages API shape: `POST
 * {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, a form with To,
 * From or MessagingServiceSid and Body, HTTP Basic auth. Node's fetch keeps
 * the connections alive between sends.
 */
export class SmsChannel implements ChannelAdapter<SmsMessage> {
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly sender: Record<string, string>;

  constructor(private readonly settings: SmsProviderSettings) {
    this.endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${settings.credentials.user}:${settings.credentials.secret}`).toString('base64')}`;
    this.sender = 'from' in settings.sender ? { From: settings.sender.from } : { MessagingServiceSid: settings.sender.messagingServiceSid };
  }

  /**
   * Who every text goes through, for the per-provider send rate (PROVIDER_SEND_RATES, e.g. api.twilio.com=10;
   * the limiter's key adds the channel, so it cannot mix with a mail domain of the same name).
   */
  get providerHost(): string {
    return providerName(this.settings.baseUrl);
  }

  async send({ to, body }: SmsMessage): Promise<SendOutcome> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ To: to, ...this.sender, Body: body }),
        // A redirect is answered, not followed: the credentials go to the configured host only.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      const answer = (await response.text()).slice(0, MAX_ANSWER_CHARS);
      return smsOutcome(response.status, response.headers.get('retry-after'), answer);
    } catch (error) {
      return { kind: 'retry', reason: `SMS provider unreachable: ${errorMessage(error)}${causeOf(error)}` };
    }
  }
}

/** fetch says only "fetch failed"; its cause says why (ECONNREFUSED, a certificate). Read by shape: the error may come from another realm. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message;
  return typeof cause === 'string' ? ` (${cause})` : '';
}
