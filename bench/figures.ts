import type { Channel } from './arrivals';

export type Series = Channel | 'total';
export const SERIES: Series[] = ['total', 'email', 'push'];

/** How fast one channel (or all together) reached its audience, in ms after t0. */
export interface ReachFigures {
  deliveries: number;
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  p100Ms: number;
  /** deliveries ÷ time to 100% */
  perSecond: number;
  /** p100 ÷ deliveries × 1000: what a thousand deliveries cost, in ms */
  msPer1000: number;
  /** curve[k]: ms until k% had been reached (k = 0 … 100; curve[0] is the first arrival) */
  curve: number[];
}

/** Figures of sorted arrival times (ms after t0). */
export function reach(times: number[]): ReachFigures {
  const n = times.length;
  if (n === 0) return { deliveries: 0, firstMs: 0, p50Ms: 0, p95Ms: 0, p100Ms: 0, perSecond: 0, msPer1000: 0, curve: [] };
  const at = (fraction: number) => times[Math.max(0, Math.ceil(fraction * n) - 1)];
  const p100Ms = times[n - 1];
  return {
    deliveries: n,
    firstMs: times[0],
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p100Ms,
    perSecond: n / (p100Ms / 1000),
    msPer1000: (p100Ms / n) * 1000,
    curve: Array.from({ length: 101 }, (_, k) => at(k / 100)),
  };
}

/** The median of each number found at the same place in every object (arrays of numbers element by element); other values from the first. */
export function medianOf<T>(values: T[]): T {
  const [first] = values;
  if (typeof first === 'number') return median(values as number[]) as T;
  if (Array.isArray(first)) {
    const length = Math.min(...values.map((value) => (value as unknown[]).length));
    return Array.from({ length }, (_, i) => medianOf(values.map((value) => (value as unknown[])[i]))) as T;
  }
  if (first && typeof first === 'object') {
    return Object.fromEntries(Object.keys(first).map((key) => [key, medianOf(values.map((value) => (value as Record<string, unknown>)[key]))])) as T;
  }
  return first;
}

function median(numbers: number[]): number | undefined {
  const sorted = numbers.filter((n) => typeof n === 'number' && Number.isFinite(n)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
