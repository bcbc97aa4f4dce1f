import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { providerName, type DeliveryConfig } from '@clarion/config';
import { channelOf, type ContactOf } from '@clarion/channels';
import type { DeliveryChannel, Recipient } from '@clarion/contracts';
import { rateLimitWaits } from '@clarion/observability';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { errorMessage } from '../common/error-message';
import { RateLimiter, WINDOW_MS, windowOf } from './rate-limiter';
import { keyPart, type WindowCounters } from '@clarion/messaging';

export const WINDOW_COUNTERS = Symbol('WINDOW_COUNTERS');
/** The KV bucket of the send-rate counters (contracts' kvBuckets lets delivery reach it). */
export const SEND_RATE_BUCKET = 'delivery_send_rates';
/** Windows last a second; a counter is worthless a few seconds later, and the bucket forgets it. */
export const SEND_RATE_TTL_MS = 10_000;

/**
 * The longest a send waits for its tokens. Its batch stays in hand
 * meanwhile (the consumer's heartbeat keeps JetStream from handing it to
 * another worker); past this the send is not made and counts as a retry,
 * so the batch comes back after its backoff.
 */
export const MAX_WAIT_MS = 60_000;
/**
 * No token is handed out in a window's last 100 ms: a provider counts
 * arrivals, so a send granted in one second should arrive in that second.
 */
export const LAST_GRANT_MS = WINDOW_MS - 100;
/** Limiters kept in memory before the idle ones (no waiters, window over) are dropped. */
const MAX_LIMITERS = 1_000;

export type Permit = { ok: true } | { ok: false; reason: string };

const GRANTED: Permit = { ok: true };

export interface SendTarget {
  orgId: string;
  channel: DeliveryChannel;
  recipient?: Recipient;
}

/**
 * The send rate limits of docs/decisions/0014: per organisation
 * (ORG_SEND_RATE_PER_SEC) and per provider (PROVIDER_SEND_RATES: the
 * recipient's mail domain, the push service's host), shared by every worker
 * through NATS KV counters per one-second window. A send takes one token of
 * each limit it falls under, all of the same window.
 */
@Injectable()
export class SendLimits implements OnModuleDestroy {
  private readonly logger = new Logger(SendLimits.name);
  private readonly limiters = new Map<string, RateLimiter>();
  private readonly closing = new AbortController();
  /** Whether any provider has a limit: when none does, a send's provider is not worked out at all. */
  private readonly providersLimited: boolean;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
    @Inject(WINDOW_COUNTERS) private readonly counters: WindowCounters,
  ) {
    // Every waiting send listens to it.
    setMaxListeners(0, this.closing.signal);
    this.providersLimited = Object.keys(config.PROVIDER_SEND_RATES).length > 0;
  }

  /** Waits until the send may go (at most MAX_WAIT_MS), or says why it may not. With no limit configured, answers at once. */
  async acquire(target: SendTarget): Promise<Permit> {
    const limiters = this.limitersFor(target);
    if (limiters.length === 0) return GRANTED;
    const started = Date.now();
    const wait = { slept: false };
    const permit = await this.waitForTokens(limiters, wait);
    // Only sends that had to wait for a later window: how often and how long the limits hold sending back.
    if (wait.slept) rateLimitWaits.observe({ channel: target.channel, outcome: permit.ok ? 'granted' : 'gave_up' }, (Date.now() - started) / 1000);
    return permit;
  }

  private async waitForTokens(limiters: RateLimiter[], wait: { slept: boolean }): Promise<Permit> {
    const giveUpAt = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const now = Date.now();
      const window = windowOf(now);
      if (now - window * WINDOW_MS < LAST_GRANT_MS && (await this.takeAll(limiters, window))) return GRANTED;
      const names = limiters.map((limiter) => limiter.label).join(', ');
      if (this.closing.signal.aborted) return { ok: false, reason: `send rate limit: the worker stopped before a token came (${names})` };
      const next = (window + 1) * WINDOW_MS;
      if (next > giveUpAt) return { ok: false, reason: `send rate limit: no token within ${MAX_WAIT_MS / 1000} s (${names})` };
      wait.slept = true;
      try {
        await sleep(Math.max(0, next - Date.now()), undefined, { signal: this.closing.signal });
      } catch {
        // Shutting down: the send is not made, and the batch goes back to the queue for another worker.
      }
    }
  }

  /** Wakes every waiting send, which gives up: the batches in hand end and go back to the queue. */
  onModuleDestroy(): void {
    this.closing.abort();
  }

  /** One token of `window` from each limiter, or none (tokens already taken go back to their limiter). */
  private async takeAll(limiters: RateLimiter[], window: number): Promise<boolean> {
    const held: RateLimiter[] = [];
    for (const limiter of limiters) {
      if (!(await limiter.take(window))) break;
      held.push(limiter);
    }
    // Sent in a later window, a token of this one would let that window exceed its limit.
    if (held.length === limiters.length && windowOf(Date.now()) === window) return true;
    for (const limiter of held) limiter.giveBack(window);
    return false;
  }

  private limitersFor({ orgId, channel, recipient }: SendTarget): RateLimiter[] {
    const limiters: RateLimiter[] = [];
    // The provider's first: a send its provider refuses this second then takes none of the organisation's tokens.
    const provider = this.providersLimited && recipient && providerOf(channel, recipient, this.config);
    if (provider) {
      const rates = this.config.PROVIDER_SEND_RATES;
      const rate = rates[provider] ?? rates['*'] ?? 0;
      if (rate > 0) limiters.push(this.limiter(`${channel}.${keyPart(provider)}`, `${channel} provider ${provider}`, rate));
    }
    if (this.config.ORG_SEND_RATE_PER_SEC > 0) limiters.push(this.limiter(`org.${keyPart(orgId)}`, `organisation ${orgId}`, this.config.ORG_SEND_RATE_PER_SEC));
    return limiters;
  }

  private limiter(key: string, label: string, limit: number): RateLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      if (this.limiters.size >= MAX_LIMITERS) this.dropIdle();
      limiter = new RateLimiter(key, label, limit, {
        counters: this.counters,
        now: Date.now,
        onAlone: (error) =>
          this.logger.warn({ limit: label, err: errorMessage(error) }, 'send rate counters in NATS unreachable: this worker keeps the limit alone for 10 s and sends on'),
      });
      this.limiters.set(key, limiter);
    }
    return limiter;
  }

  private dropIdle(): void {
    const now = Date.now();
    for (const [key, limiter] of this.limiters) if (limiter.idle(now)) this.limiters.delete(key);
  }
}

/** The provider a send goes through, as its channel names it (the recipient's mail domain, the push service's origin, the SMS gateway). */
export function providerOf<C extends DeliveryChannel>(channel: C, recipient: Recipient, config: Readonly<Record<string, unknown>>): string | undefined {
  const contact = recipient.contacts[channel];
  type ProviderHost = (contact: ContactOf<C>, config: Readonly<Record<string, unknown>>) => string | undefined;
  const host = contact === undefined ? undefined : (channelOf(channel).providerHost as ProviderHost)(contact as ContactOf<C>, config);
  return host === undefined ? undefined : providerName(host);
}
