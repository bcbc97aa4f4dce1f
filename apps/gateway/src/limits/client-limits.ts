import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig } from '@clarion/config';
import { keyPart, type WindowCounters } from '@clarion/messaging';
import { GATEWAY_CONFIG } from '../gateway-config';

export const CLIENT_COUNTERS = Symbol('CLIENT_COUNTERS');
/** A clock (milliseconds since the epoch): the seam tests move time with. */
export const CLIENT_LIMITS_CLOCK = Symbol('CLIENT_LIMITS_CLOCK');
/** The KV bucket the gateways count in (contracts' kvBuckets lets the gateway reach it). */
export const CLIENT_RATE_BUCKET = 'gateway_client_rates';

/** Limits count requests per fixed minute, numbered from the epoch, the same on every gateway. */
export const WINDOW_MS = 60_000;
/** A minute's counter is worthless after it; the bucket keeps it a little longer than that. */
export const CLIENT_RATE_TTL_MS = 2 * WINDOW_MS;
/** After the shared counters fail, this gateway counts alone for this long before trying them again. */
export const ALONE_FOR_MS = 10_000;
/** Addresses counted alone at once; past this the oldest windows are dropped. */
const MAX_ALONE_KEYS = 100_000;

/** What is limited: public writes (join, confirm, unsubscribe, preferences) and the API, each with its own allowance. */
export type LimitScope = 'public' | 'api';

export type LimitVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

const ALLOWED: LimitVerdict = { ok: true };

/**
 * Requests per client address per minute (docs/decisions/0022), counted in
 * NATS KV so that every gateway shares one count (the counters of
 * docs/decisions/0014). One round trip per limited request. When the
 * counters cannot be reached the gateway fails open but bounded: it counts
 * alone for ALONE_FOR_MS (N gateways then allow at most N × the limit).
 */
@Injectable()
export class ClientLimits {
  private readonly logger = new Logger(ClientLimits.name);
  private readonly alone = new Map<string, number>();
  private aloneUntil = 0;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(CLIENT_COUNTERS) private readonly counters: WindowCounters,
    @Inject(CLIENT_LIMITS_CLOCK) private readonly now: () => number,
  ) {}

  /** Counts one request of `client` in `scope`; a refusal says when the next minute starts. */
  async take(scope: LimitScope, client: string): Promise<LimitVerdict> {
    const limit = scope === 'public' ? this.config.PUBLIC_WRITES_PER_MINUTE : this.config.API_REQUESTS_PER_MINUTE;
    if (limit === 0) return ALLOWED;
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${scope}.${keyPart(client)}.${window}`;
    const refused: LimitVerdict = { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000)) };
    if (now < this.aloneUntil) return this.takeAlone(key, window, limit) ? ALLOWED : refused;
    try {
      const taken = await this.counters.take(key, 1, limit);
      // What the shared count was is where counting alone starts, should NATS not answer next time: one slow round
      // trip must not give a client a second allowance.
      this.remember(key, window, taken.full ? limit : (taken.seen?.count ?? 0));
      // Not full but nothing granted: other gateways kept winning the write; a request is not refused for that.
      return taken.granted > 0 || !taken.full ? ALLOWED : refused;
    } catch (error) {
      this.aloneUntil = now + ALONE_FOR_MS;
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'client rate counters in NATS unreachable: this gateway counts alone for 10 s');
      return this.takeAlone(key, window, limit) ? ALLOWED : refused;
    }
  }

  private takeAlone(key: string, window: number, limit: number): boolean {
    const count = this.alone.get(key) ?? 0;
    if (count >= limit) return false;
    this.remember(key, window, count + 1);
    return true;
  }

  /** The count this gateway knows for `key`, never lowered; bounded to MAX_ALONE_KEYS, older windows dropped first. */
  private remember(key: string, window: number, count: number): void {
    if (!this.alone.has(key) && this.alone.size >= MAX_ALONE_KEYS) {
      for (const old of this.alone.keys()) if (!old.endsWith(`.${window}`)) this.alone.delete(old);
      if (this.alone.size >= MAX_ALONE_KEYS) this.alone.clear();
    }
    this.alone.set(key, Math.max(count, this.alone.get(key) ?? 0));
  }
}
