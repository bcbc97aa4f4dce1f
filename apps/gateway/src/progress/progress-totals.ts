import { deliveryChannelSchema, isNewerProgress, relayStatusSchema, type DeliveryChannel, type RelayProgress, type RelayStatus } from '@clarion/contracts';

export interface ChannelTotals {
  targeted: number;
  sent: number;
  failed: number;
  suppressed: number;
}

/** How many organisations decided what about the alert. */
export type RelayDecisions = Record<RelayStatus, number>;

/**
 * One `event: progress` of the live view: counts only. It names no
 * organisation and no supporter, so a coordinator may see it whole.
 */
export interface ProgressTotals {
  alertId: string;
  channels: Record<DeliveryChannel, ChannelTotals>;
  clicked: number;
  relays: RelayDecisions;
  /** Relays whose sending has started (delivery has counters for them). */
  relaysSending: number;
  /** The newest snapshot's time; absent before anything was sent. */
  updatedAt?: string;
}

/**
 * Keeps the newest snapshot of each relay. Snapshots travel on core NATS and
 * through an RPC at the same time, so an older one may arrive after a newer:
 * it is ignored. Answers whether the map changed.
 */
export function keepLatest(latest: Map<string, RelayProgress>, snapshot: RelayProgress): boolean {
  const known = latest.get(snapshot.relayId);
  if (known && !isNewerProgress(snapshot, known)) return false;
  latest.set(snapshot.relayId, snapshot);
  return true;
}

export function totalProgress(alertId: string, snapshots: Iterable<RelayProgress>, relays: RelayDecisions): ProgressTotals {
  const channels = Object.fromEntries(
    deliveryChannelSchema.options.map((channel) => [channel, { targeted: 0, sent: 0, failed: 0, suppressed: 0 }]),
  ) as Record<DeliveryChannel, ChannelTotals>;
  let clicked = 0;
  let relaysSending = 0;
  let updatedAt: string | undefined;
  for (const snapshot of snapshots) {
    relaysSending += 1;
    clicked += snapshot.clicked;
    for (const channel of deliveryChannelSchema.options) {
      const counts = snapshot.channels[channel];
      const total = channels[channel];
      total.targeted += counts.targeted;
      total.sent += counts.sent;
      total.failed += counts.failed;
      total.suppressed += counts.suppressed;
    }
    if (!updatedAt || Date.parse(snapshot.updatedAt) > Date.parse(updatedAt)) updatedAt = snapshot.updatedAt;
  }
  return { alertId, channels, clicked, relays: { ...relays }, relaysSending, ...(updatedAt ? { updatedAt } : {}) };
}

/** An organisation's own relays of the alert, counted by decision. */
export function decisionsOf(statuses: Iterable<RelayStatus>): RelayDecisions {
  const decisions: RelayDecisions = { pending: 0, approved: 0, declined: 0, cancelled: 0 };
  for (const status of statuses) decisions[status] += 1;
  return decisions;
}

export function sameDecisions(a: RelayDecisions, b: RelayDecisions): boolean {
  return relayStatusSchema.options.every((status) => a[status] === b[status]);
}
