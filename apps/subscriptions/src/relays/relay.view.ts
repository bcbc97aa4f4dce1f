import type { AlertRelayView, RelayView } from '@clarion/contracts';
import type { RelayRecord } from './relay.schema';

export function toRelayView(relay: RelayRecord): RelayView {
  return {
    id: relay._id.toHexString(),
    orgId: relay.orgId,
    coalitionId: relay.coalitionId,
    alertId: relay.alertId,
    alertVersion: relay.alertVersion,
    title: relay.title,
    urgency: relay.urgency,
    status: relay.status,
    channels: relay.channels,
    ...(relay.deadline ? { deadline: relay.deadline.toISOString() } : {}),
    ...(relay.onDeadline ? { onDeadline: relay.onDeadline } : {}),
    ...(relay.intro ? { intro: relay.intro } : {}),
    ...(relay.ctaUrl ? { ctaUrl: relay.ctaUrl } : {}),
    ...(relay.decidedBy ? { decidedBy: relay.decidedBy } : {}),
    ...(relay.decidedAt ? { decidedAt: relay.decidedAt.toISOString() } : {}),
    createdAt: relay.createdAt.toISOString(),
  };
}

export function toAlertRelayView(relay: RelayRecord, orgName: string): AlertRelayView {
  return {
    relayId: relay._id.toHexString(),
    orgId: relay.orgId,
    orgName,
    alertVersion: relay.alertVersion,
    status: relay.status,
    ...(relay.decidedBy ? { decidedBy: relay.decidedBy } : {}),
    ...(relay.decidedAt ? { decidedAt: relay.decidedAt.toISOString() } : {}),
    ...(relay.deadline ? { deadline: relay.deadline.toISOString() } : {}),
    ...(relay.onDeadline ? { onDeadline: relay.onDeadline } : {}),
  };
}
