import type { Response } from 'express';
import type { RelayProgress } from '@clarion/contracts';
import type { ProgressFeed } from './progress-feed';
import { keepLatest, sameDecisions, totalProgress, type RelayDecisions } from './progress-totals';

/** Proxies close idle connections; a comment line every 15 s keeps the stream open. */
const KEEP_ALIVE_MS = 15_000;
/** Delivery sends up to five snapshots a second per relay; with many relays, one update per quarter second is plenty. */
const COALESCE_MS = 250;

/** What one viewer of an alert's progress may count, and where the counts come from. */
export interface ProgressView {
  alertId: string;
  /** All of the alert's relays for its coalition; only its own for an organisation. */
  includes(snapshot: RelayProgress): boolean;
  snapshots(): Promise<RelayProgress[]>;
  decisions(): Promise<RelayDecisions>;
}

/**
 * Server-Sent Events: the current totals as `event: progress`, then new
 * totals whenever delivery publishes a snapshot (relay decisions are asked
 * again with each keep-alive). Listening starts before the first totals are
 * fetched, so nothing published in between is missed. An error before the
 * first event reaches the caller, who can still answer with a status.
 */
export function streamProgress(res: Response, feed: ProgressFeed, view: ProgressView): Promise<void> {
  return new ProgressStream(res, feed, view).start();
}

class ProgressStream {
  private readonly latest = new Map<string, RelayProgress>();
  /** Undefined until the first totals are sent: snapshots before then only update the map. */
  private decisions: RelayDecisions | undefined;
  private flush: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly unfollow: () => void;

  constructor(
    private readonly res: Response,
    feed: ProgressFeed,
    private readonly view: ProgressView,
  ) {
    this.unfollow = feed.follow(view.alertId, {
      snapshot: (snapshot) => {
        if (view.includes(snapshot) && keepLatest(this.latest, snapshot) && this.decisions) this.sendSoon();
      },
      shutdown: () => res.end(),
    });
    res.on('close', () => this.close());
  }

  async start(): Promise<void> {
    let decisions: RelayDecisions;
    let initial: RelayProgress[];
    try {
      [decisions, initial] = await Promise.all([this.view.decisions(), this.view.snapshots()]);
    } catch (error) {
      this.close();
      throw error;
    }
    if (this.closed) return;
    for (const snapshot of initial) if (this.view.includes(snapshot)) keepLatest(this.latest, snapshot);
    this.decisions = decisions;

    this.res.status(200);
    this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('Cache-Control', 'no-cache, no-transform');
    // Tells nginx-style proxies not to buffer the stream.
    this.res.setHeader('X-Accel-Buffering', 'no');
    this.res.flushHeaders();
    this.send();
    this.keepAlive = setInterval(() => this.ping(), KEEP_ALIVE_MS);
  }

  private send(): void {
    this.flush = undefined;
    if (!this.decisions) return;
    const totals = totalProgress(this.view.alertId, this.latest.values(), this.decisions);
    this.res.write(`event: progress\ndata: ${JSON.stringify(totals)}\n\n`);
  }

  private sendSoon(): void {
    this.flush ??= setTimeout(() => this.send(), COALESCE_MS);
  }

  private ping(): void {
    this.res.write(': keep-alive\n\n');
    this.view.decisions().then(
      (fresh) => {
        if (this.closed || (this.decisions && sameDecisions(fresh, this.decisions))) return;
        this.decisions = fresh;
        this.sendSoon();
      },
      // A missed refresh is retried with the next keep-alive; delivery's counts keep flowing meanwhile.
      () => undefined,
    );
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.flush);
    clearInterval(this.keepAlive);
    this.unfollow();
  }
}
