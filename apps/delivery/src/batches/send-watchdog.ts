import type { SendOutcome } from '../channels/channel';

/**
 * A backstop over every send of a batch pass: a send still unanswered after
 * `limitMs` ends as a retry, so the pass writes its ledger and finishes. Each
 * channel bounds its own calls (socket timeouts, the email deadline); this is
 * for a promise that never settles whatever the cause, which would otherwise
 * hold its batch for ever (the consumer's heartbeat keeps a live worker's batch
 * from being handed out again) and leave everything it sent unrecorded. One
 * timer per pass, not one per send.
 */
export class SendWatchdog {
  private readonly inFlight = new Map<number, { startedAt: number; channel: string; giveUp: (outcome: SendOutcome) => void }>();
  private nextId = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly limitMs: number,
    private readonly onGiveUp: (channel: string, waitedMs: number) => void,
    private readonly checkEveryMs = Math.min(5_000, limitMs),
  ) {}

  watch(channel: string, send: Promise<SendOutcome>, now = Date.now()): Promise<SendOutcome> {
    const id = this.nextId++;
    this.timer ??= setInterval(() => this.giveUpOverdue(), this.checkEveryMs).unref();
    const givenUp = new Promise<SendOutcome>((giveUp) => this.inFlight.set(id, { startedAt: now, channel, giveUp }));
    return Promise.race([send, givenUp]).finally(() => this.inFlight.delete(id));
  }

  /** Ends, as retries, the sends waiting for `limitMs` or longer. */
  giveUpOverdue(now = Date.now()): void {
    for (const [id, { startedAt, channel, giveUp }] of this.inFlight) {
      const waitedMs = now - startedAt;
      if (waitedMs < this.limitMs) continue;
      this.inFlight.delete(id);
      this.onGiveUp(channel, waitedMs);
      giveUp({ kind: 'retry', reason: `no answer on ${channel} within ${Math.round(this.limitMs / 1000)} s` });
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
