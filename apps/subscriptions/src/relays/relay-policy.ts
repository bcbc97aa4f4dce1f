import type { AlertSnapshot, Filters } from '@clarion/contracts';
import type { Membership } from '../memberships/membership.schema';
import type { Relay, RelayDecider, RelayDraft } from './relay.schema';

/** The parts of an alert that a membership's filters look at. */
export type AlertTargeting = Pick<AlertSnapshot, 'topics' | 'regions' | 'texts'>;

/** How a pending relay gets decided, by an editor or by its deadline. */
export type RelayDecision =
  | { status: 'approved'; decidedBy: RelayDecider; intro?: string; ctaUrl?: string }
  | { status: 'declined'; decidedBy: RelayDecider; declineReason?: string };

/**
 * Whether a membership wants an alert, per dimension (topics, regions,
 * languages): an empty filter wants everything; an alert with an empty list
 * addresses everyone (no regions means everywhere); otherwise the two must
 * share an entry. An alert's languages are those it has text in.
 */
export function matchesFilters(filters: Filters, alert: AlertTargeting): boolean {
  return (
    overlaps(filters.topics, alert.topics) &&
    overlaps(filters.regions, alert.regions) &&
    overlaps(filters.languages, Object.keys(alert.texts))
  );
}

function overlaps(wanted: string[], offered: string[]): boolean {
  return wanted.length === 0 || offered.length === 0 || wanted.some((entry) => offered.includes(entry));
}

/** What a relay shows of its alert; refreshed when the alert is corrected. */
export function alertSummary(alert: AlertSnapshot): Pick<Relay, 'alertVersion' | 'title' | 'urgency'> {
  const primary = alert.texts[alert.primaryLanguage] ?? Object.values(alert.texts)[0];
  return { alertVersion: alert.version, title: primary?.title ?? '', urgency: alert.urgency };
}

/**
 * A new relay per the membership's policy: `auto` is approved at once (and
 * owes its approval event); `review` waits for an editor until the deadline,
 * counted from the alert's publication.
 */
export function draftRelay(alert: AlertSnapshot, membership: Pick<Membership, 'orgId' | 'channels' | 'relayPolicy'>, now: Date): RelayDraft {
  const opened = {
    orgId: membership.orgId,
    coalitionId: alert.coalitionId,
    alertId: alert.alertId,
    ...alertSummary(alert),
    channels: membership.channels,
  };
  const policy = membership.relayPolicy;
  if (policy.mode === 'auto') return { ...opened, status: 'approved', decidedBy: 'auto', decidedAt: now, pendingEvent: 'approved' };
  return {
    ...opened,
    status: 'pending',
    deadline: new Date(Date.parse(alert.publishedAt) + policy.deadlineMinutes * 60_000),
    onDeadline: policy.onDeadline,
  };
}

/** A relay nobody reviewed in time; without a stated policy it is dropped, never sent unreviewed. */
export function deadlineDecision(relay: Pick<Relay, 'onDeadline'>): RelayDecision {
  return relay.onDeadline === 'approve' ? { status: 'approved', decidedBy: 'deadline' } : { status: 'declined', decidedBy: 'deadline' };
}
