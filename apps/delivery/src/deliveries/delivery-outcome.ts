import type { SendOutcome } from '../channels/channel';
import type { DeliveryState } from './delivery.schema';

/** How one record of a batch ends this pass: written to the ledger in one bulk write with the others. */
export interface LedgerUpdate {
  deliveryId: string;
  state: Exclude<DeliveryState, 'queued'>;
  /** Whether a send was attempted (counts in `attempts`). */
  attempted: boolean;
  lastError?: string;
}

export type ProgressCounter = 'sent' | 'failed' | 'suppressed';

/**
 * A send's outcome in the ledger: a refused address is suppressed, a gone
 * push subscription expired, and a retry on the last attempt becomes failed
 * so that no record stays open once its batch is dead-lettered.
 */
export function afterAttempt(deliveryId: string, outcome: SendOutcome, lastAttempt: boolean): LedgerUpdate {
  switch (outcome.kind) {
    case 'sent':
      return { deliveryId, state: 'sent', attempted: true };
    case 'suppress':
      return { deliveryId, state: 'suppressed', attempted: true, lastError: outcome.reason };
    case 'gone':
      return { deliveryId, state: 'expired', attempted: true, lastError: outcome.reason };
    case 'retry':
      return { deliveryId, state: lastAttempt ? 'failed' : 'retry', attempted: true, lastError: outcome.reason };
  }
}

/** Which progress counter a final state adds to; open, cancelled and expired-before-sending records count in none. */
export function progressCounter(update: LedgerUpdate): ProgressCounter | undefined {
  if (update.state === 'sent') return 'sent';
  if (update.state === 'failed') return 'failed';
  // A gone push subscription is the push twin of a bounced address.
  if (update.state === 'suppressed' || (update.state === 'expired' && update.attempted)) return 'suppressed';
  return undefined;
}
