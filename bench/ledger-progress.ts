import { performance } from 'node:perf_hooks';
import { readSseEvents } from '@clarion/testing';
import type { Channel } from './arrivals';

export interface ChannelCounts {
  targeted: number;
  sent: number;
  failed: number;
  suppressed: number;
}

/** The gateway's `event: progress` (counts only), as far as the benchmark reads it. */
export interface ProgressTotals {
  channels: Record<Channel, ChannelCounts>;
  relays: Record<string, number>;
  relaysSending: number;
}

/**
 * The delivery ledger's counters as the coordinator sees them: the gateway's
 * Server-Sent Events progress stream for the alert. Keeps the latest totals
 * and when (performance.now()) they were seen.
 */
export class LedgerProgress {
  private latestTotals?: ProgressTotals;
  private latestAt = 0;
  private readonly abort = new AbortController();

  private constructor() {}

  static async open(gatewayUrl: string, token: string, alertId: string): Promise<LedgerProgress> {
    const progress = new LedgerProgress();
    const res = await fetch(`${gatewayUrl}/api/v1/alerts/${alertId}/progress`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: progress.abort.signal,
    });
    if (res.status !== 200 || !res.body) throw new Error(`the progress stream answered HTTP ${res.status}`);
    void progress.read(res.body);
    return progress;
  }

  /** Reads the current totals once: a fresh stream starts with them (fetched from delivery, not relayed live). */
  static async snapshot(gatewayUrl: string, token: string, alertId: string, timeoutMs = 10_000): Promise<ProgressTotals | undefined> {
    const progress = await LedgerProgress.open(gatewayUrl, token, alertId);
    try {
      const deadline = performance.now() + timeoutMs;
      while (!progress.latest && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return progress.latest;
    } finally {
      progress.close();
    }
  }

  get latest(): ProgressTotals | undefined {
    return this.latestTotals;
  }

  /** performance.now() of the latest totals. */
  get latestSeenAt(): number {
    return this.latestAt;
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    await readSseEvents(body, 'progress', (data) => {
      this.latestTotals = data as ProgressTotals;
      this.latestAt = performance.now();
    });
  }
}

export function ledgerAgrees(totals: ProgressTotals | undefined, expected: Record<Channel, number>): boolean {
  return !!totals && totals.channels.email.sent === expected.email && totals.channels.push.sent === expected.push;
}
