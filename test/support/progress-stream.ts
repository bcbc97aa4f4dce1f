import type { ChannelName } from '@clarion/channels';
import { readSseEvents } from '@clarion/testing';

export interface ProgressTotals {
  channels: Record<ChannelName, { targeted: number; sent: number; failed: number; suppressed: number }>;
  clicked: number;
  [key: string]: unknown;
}

export interface ProgressStream {
  latest(): ProgressTotals | undefined;
  until(predicate: (totals: ProgressTotals) => boolean, timeoutMs: number): Promise<ProgressTotals>;
  close(): void;
}

/** Reads the gateway's Server-Sent Events progress stream for an alert, keeping the latest `progress` event. */
export async function openProgressStream(gatewayUrl: string, token: string, alertId: string): Promise<ProgressStream> {
  const abort = new AbortController();
  const res = await fetch(`${gatewayUrl}/api/v1/alerts/${alertId}/progress`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`progress stream answered ${res.status}`);
  let latest: ProgressTotals | undefined;
  void readSseEvents(res.body, 'progress', (data) => {
    latest = data as ProgressTotals;
  });
  return {
    latest: () => latest,
    async until(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!(latest && predicate(latest))) {
        if (Date.now() > deadline) throw new Error(`progress stream never reached the expected totals; last: ${JSON.stringify(latest)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return latest;
    },
    close: () => abort.abort(),
  };
}
