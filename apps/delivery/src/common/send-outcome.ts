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

/** For refusals that never reached a provider. */
export const REFUSED_LOCALLY = 0;

/** Who a message is for, and the ledger record it goes out under. */
export interface SendFact {
  orgId: string;
  supporterId: string;
  deliveryId: string;
}
