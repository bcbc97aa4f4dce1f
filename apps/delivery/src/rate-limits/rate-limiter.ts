import type { CounterSeen, WindowCounters } from '@clarion/messaging';

/** Limits count sends per fixed window of a second, numbered from the epoch, the same on every worker. */
export const WINDOW_MS = 1_000;
export const windowOf = (time: number): number => Math.floor(time / WINDOW_MS);

/** Tokens fetched per round trip: a tenth of the limit, at least 1, at most 50 (and never more than the waiting sends need). */
const MAX_CHUNK = 50;
/** After the shared counters fail, this worker limits itself on its own for this long before trying them again. */
export const ALONE_FOR_MS = 10_000;
/** A pause after losing every compare-and-set round, so the workers that won can finish. */
const CONTENTION_PAUSE_MS = 5;
/**
 * Between two fetches of one window a worker pauses a random 0–2 round
 * trips (at most this): a worker whose last write won can write again at
 * once, while one that lost must read first, so without the pause the first
 * worker to reach a window would take all of it.
 */
const MAX_TURN_PAUSE_MS = 20;

export interface LimiterDeps {
  counters: WindowCounters;
  now: () => number;
  /** Told once each time the shared counters fail and the limiter goes on alone. */
  onAlone: (error: unknown) => void;
}

/**
 * One limit (an organisation's, a provider's) as one worker sees it: the
 * tokens of the current window that this worker fetched from the shared
 * counter, handed to its sends one at a time. Fetches are in chunks and one
 * at a time per limiter, so a hundred waiting sends cost a few round trips,
 * not a hundred. Tokens are good only in their window; what a worker
 * fetched and did not use is lost with it.
 *
 * When the shared counter cannot be reached, the limiter fails open but
 * bounded: it grants at most `limit` per window from this worker alone
 * (so N workers send at most N × limit) for ALONE_FOR_MS, then tries the
 * counter again.
 */
export class RateLimiter {
  private window = -1;
  private inHand = 0;
  /** Tokens of the window this worker got, shared or alone: the bound when alone. */
  private got = 0;
  private full = false;
  private seen?: CounterSeen;
  private fetching?: Promise<void>;
  private waiting = 0;
  private aloneUntil = 0;
  /** A fetch's usual duration (a moving average), for the pause between fetches. */
  private roundTripMs = 1;
  private readonly chunk: number;

  constructor(
    /** The counter's key in the bucket, without the window. */
    readonly key: string,
    /** What the logs and the ledger call it, e.g. `email provider gmail.com`. */
    readonly label: string,
    readonly limit: number,
    private readonly deps: LimiterDeps,
  ) {
    this.chunk = Math.min(MAX_CHUNK, Math.max(1, Math.ceil(limit / 10)));
  }

  /** One token of `window`; false once the window is used up or over. */
  async take(window: number): Promise<boolean> {
    this.waiting++;
    try {
      while (windowOf(this.deps.now()) === window && window >= this.window) {
        if (window !== this.window) this.begin(window);
        if (this.inHand > 0) {
          this.inHand--;
          return true;
        }
        if (this.full) return false;
        this.fetching ??= this.fetch(window).finally(() => (this.fetching = undefined));
        await this.fetching;
      }
      return false;
    } finally {
      this.waiting--;
    }
  }

  /** A token taken for a send that did not go (another limit said no): another send of the window may have it. */
  giveBack(window: number): void {
    if (window === this.window) this.inHand++;
  }

  /** Nothing waits on it and its window is over: it may be dropped. */
  idle(now: number): boolean {
    return this.waiting === 0 && this.window < windowOf(now);
  }

  private begin(window: number): void {
    this.window = window;
    this.inHand = 0;
    this.got = 0;
    this.full = false;
    this.seen = undefined;
  }

  private async fetch(window: number): Promise<void> {
    const want = Math.min(this.chunk, this.waiting);
    if (this.deps.now() < this.aloneUntil) return this.grantAlone(window, want);
    try {
      if (this.got > 0) await pause(Math.min(MAX_TURN_PAUSE_MS, 2 * this.roundTripMs * Math.random()));
      const startedAt = performance.now();
      const result = await this.deps.counters.take(`${this.key}.${window}`, want, this.limit, this.seen);
      this.roundTripMs = 0.8 * this.roundTripMs + 0.2 * (performance.now() - startedAt);
      if (window !== this.window) return; // the window ended meanwhile; its tokens are worthless now
      this.seen = result.seen;
      this.inHand += result.granted;
      this.got += result.granted;
      this.full = result.full;
      if (result.granted === 0 && !result.full) await pause(CONTENTION_PAUSE_MS * (1 + Math.random()));
    } catch (error) {
      this.aloneUntil = this.deps.now() + ALONE_FOR_MS;
      this.deps.onAlone(error);
      this.grantAlone(window, want);
    }
  }

  private grantAlone(window: number, want: number): void {
    if (window !== this.window) return;
    const granted = Math.max(0, Math.min(want, this.limit - this.got));
    this.inHand += granted;
    this.got += granted;
    this.full = this.got >= this.limit;
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
