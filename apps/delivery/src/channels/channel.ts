/**
 * What a provider made of one message. The adapter decides, the batch acts:
 * `suppress` and `gone` are final for this address, `retry` is worth another
 * attempt later.
 */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  /** The provider refused this address or message for good; `code` is its reply code (SMTP or HTTP), 0 when we refused to send. */
  | { kind: 'suppress'; reason: string; code: number }
  /** The push subscription no longer exists (404/410). */
  | { kind: 'gone'; reason: string; status: number };

/** One delivery channel (email, push; SMS or webhooks later): sends one rendered message and never throws for a provider's answer. */
export interface ChannelAdapter<Message> {
  send(message: Message): Promise<SendOutcome>;
}

/** For refusals that never reached a provider. */
export const REFUSED_LOCALLY = 0;
