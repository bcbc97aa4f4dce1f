import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger } from '@nestjs/common';
import { Conflict, Unprocessable } from '@clarion/errors';
import { IdempotencyKeyRepository, type KeyScope } from './idempotency-key.repository';

/** How long a key answers with its first result. */
export const KEY_TTL_MS = 24 * 60 * 60_000;
/**
 * How long a request may hold a key before a retry presumes it died. Longer
 * than a publication can take (a settings request and a JetStream publish,
 * each bounded by a few seconds).
 */
export const KEY_LEASE_MS = 30_000;
/** How long a repeat waits for the first request to finish; under the gateway's NATS timeout (2 s by default). */
const WAIT_MS = 1_000;
const POLL_MS = 25;

export const IDEMPOTENCY_KEY_FIELD = 'Idempotency-Key';

/** What a key remembers of its first request: a hash of it, enough to tell a different one. */
export function fingerprintOf(request: string): string {
  return createHash('sha256').update(request).digest('hex');
}

export interface IdempotentRequest extends KeyScope {
  /** What was asked (operation, target, body), as a stable string: a key may only be repeated with the same. */
  request: string;
}

/**
 * Runs a request once per idempotency key. The first request with a key
 * claims it (an insert on its scoped `_id`), runs, and stores its answer; a
 * repeat answers that stored answer, or waits briefly while the first is
 * still running. Only a success is stored: a failed request frees its key,
 * so a retry runs again, and the step it repeats (publishing) refuses to
 * happen twice on its own.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger(IdempotencyService.name);

  constructor(private readonly keys: IdempotencyKeyRepository) {}

  async once<T>(idempotent: IdempotentRequest, run: () => Promise<T>): Promise<T> {
    const fingerprint = fingerprintOf(idempotent.request);
    const giveUpAt = Date.now() + WAIT_MS;
    for (;;) {
      const now = new Date();
      const claimed = await this.keys.claim(idempotent, {
        fingerprint,
        now,
        leaseUntil: new Date(now.getTime() + KEY_LEASE_MS),
        expiresAt: new Date(now.getTime() + KEY_TTL_MS),
      });
      if (claimed) return this.runHolding(idempotent, run);

      const existing = await this.keys.find(idempotent);
      if (existing && existing.expiresAt > now) {
        if (existing.fingerprint !== fingerprint) {
          throw new Unprocessable(
            `${IDEMPOTENCY_KEY_FIELD} was already used for a different request (another alert or another body); use a new key for a new request`,
            IDEMPOTENCY_KEY_FIELD,
          );
        }
        if (existing.state === 'done' && existing.response !== undefined) return JSON.parse(existing.response) as T;
        if (existing.leaseUntil && existing.leaseUntil <= now) {
          // The request holding the key died (a crash): free it and let this one run.
          this.logger.warn({ coalitionId: idempotent.coalitionId }, 'idempotency key held past its lease; taken over');
          await this.keys.release(idempotent);
        }
      } else if (existing) {
        // Expired on read: FerretDB has no TTL index, so an old key may still be stored.
        await this.keys.release(idempotent);
      }
      if (Date.now() >= giveUpAt) {
        throw new Conflict(`a request with this ${IDEMPOTENCY_KEY_FIELD} is still in progress; retry it shortly`, IDEMPOTENCY_KEY_FIELD);
      }
      await sleep(POLL_MS);
    }
  }

  private async runHolding<T>(scope: KeyScope, run: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      await this.keys.release(scope).catch((releaseError: unknown) => this.warn('could not free an idempotency key after a failed request', releaseError));
      throw error;
    }
    // The step is done whatever happens next; if its answer cannot be stored, a retry after the lease runs it again.
    await this.keys.complete(scope, JSON.stringify(result)).catch((storeError: unknown) => this.warn('could not store the answer of an idempotency key', storeError));
    return result;
  }

  private warn(message: string, error: unknown): void {
    this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, message);
  }
}
