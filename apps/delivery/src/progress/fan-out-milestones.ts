import type { ProgressIncrements } from './progress.repository';
import type { ChannelCounters } from './progress.schema';

export type Milestone = 'first' | 'p95';

/** Share of the targets known so far that must be settled for the `p95` milestone. */
const P95 = 0.95;

interface Totals {
  targeted: number;
  sent: number;
  settled: number;
}

function totals(channels: Partial<Record<string, Partial<ChannelCounters>>>): Totals {
  const sum = { targeted: 0, sent: 0, settled: 0 };
  for (const counts of Object.values(channels)) {
    sum.targeted += counts?.targeted ?? 0;
    sum.sent += counts?.sent ?? 0;
    sum.settled += (counts?.sent ?? 0) + (counts?.failed ?? 0) + (counts?.suppressed ?? 0);
  }
  return sum;
}

/**
 * The milestones one batch pass crossed, from the relay's counters after it
 * and the pass's increments: the first message sent, and 95 % of the targets
 * known so far settled. Each is crossed once per relay, by the one pass whose
 * atomic `$inc` moved the counters over it, however many workers run.
 * (Batches still unclaimed are not yet targets: on a relay whose batches
 * arrive slower than they are sent, `p95` can come early.)
 */
export function crossedMilestones(after: Record<string, ChannelCounters>, increments: ProgressIncrements): Milestone[] {
  const now = totals(after);
  const added = totals(increments);
  const before = { targeted: now.targeted - added.targeted, sent: now.sent - added.sent, settled: now.settled - added.settled };
  const crossed: Milestone[] = [];
  if (before.sent === 0 && now.sent > 0) crossed.push('first');
  const reached = (t: Totals) => t.targeted > 0 && t.settled >= P95 * t.targeted;
  if (!reached(before) && reached(now)) crossed.push('p95');
  return crossed;
}
