import { useEffect, useState } from 'react';
import { authHeaders, urlOf, type ApiPath } from '../api/client';
import type { ProgressTotals } from '../api/views';

export interface ProgressPoint {
  at: number;
  sent: Record<string, number>;
}

/**
 * Follows a Server-Sent Events progress route (fetch rather than
 * EventSource, so a dropped session shows as an HTTP status), keeping every
 * `event: progress` as a point of the reach-over-time chart. Reconnects
 * after a drop, at most once every 5 s.
 */
export function useProgress(path: ApiPath, params: Record<string, string>, enabled: boolean) {
  const [latest, setLatest] = useState<ProgressTotals>();
  const [points, setPoints] = useState<ProgressPoint[]>([]);
  const [connected, setConnected] = useState(false);
  const key = JSON.stringify(params);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let retry: number | undefined;

    async function follow() {
      try {
        const response = await fetch(urlOf(path, params), { headers: { Accept: 'text/event-stream', ...authHeaders('GET') }, signal: abort.signal, credentials: 'same-origin' });
        if (!response.ok || !response.body) throw new Error(`progress: ${response.status}`);
        setConnected(true);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
            if (!block.includes('event: progress') || !data) continue;
            const totals = JSON.parse(data) as ProgressTotals;
            setLatest(totals);
            setPoints((all) => [...all.slice(-199), { at: Date.now(), sent: Object.fromEntries(Object.entries(totals.channels).map(([c, t]) => [c, t.sent])) }]);
          }
        }
      } catch {
        if (abort.signal.aborted) return;
      }
      setConnected(false);
      if (!abort.signal.aborted) retry = window.setTimeout(() => void follow(), 5_000);
    }
    void follow();
    return () => {
      abort.abort();
      window.clearTimeout(retry);
    };
    // params are compared by value (key), not by identity.
  }, [path, key, enabled]);

  return { latest, points, connected };
}
