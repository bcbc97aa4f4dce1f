import { createHash } from 'node:crypto';
import { eventSubjects, type EventPayload, type WebhookEventType, type WebhookOwner } from '@clarion/contracts';

/** One webhook event made from a bus event: who it concerns, what it is, and its body's `data`. */
export interface WebhookEvent {
  /** The bus event's id: with the endpoint, it names the webhook (its webhook-id), so a redelivered event is queued once. */
  eventId: string;
  occurredAt: string;
  type: WebhookEventType;
  owners: WebhookOwner[];
  data: Record<string, unknown>;
}

const coalition = (id: string): WebhookOwner => ({ kind: 'coalition', id });
const organisation = (id: string): WebhookOwner => ({ kind: 'organisation', id });

/**
 * The one map from what services publish on the bus to webhook events
 * (docs/decisions/0029). Data carries ids and what the owner already sees:
 * a coalition the alert it wrote and which member decided what; an
 * organisation its own relays and its own supporters' ids, never an address.
 */
export const webhookEventsFrom = {
  [eventSubjects.alertPublished]: ({ eventId, occurredAt, alert }: EventPayload<typeof eventSubjects.alertPublished>): WebhookEvent[] => [
    { eventId, occurredAt, type: 'alert.published', owners: [coalition(alert.coalitionId)], data: alertData(alert) },
  ],
  [eventSubjects.alertUpdated]: ({ eventId, occurredAt, alert }: EventPayload<typeof eventSubjects.alertUpdated>): WebhookEvent[] => [
    { eventId, occurredAt, type: 'alert.corrected', owners: [coalition(alert.coalitionId)], data: alertData(alert) },
  ],
  [eventSubjects.alertCancelled]: ({ eventId, occurredAt, alertId, coalitionId, reason }: EventPayload<typeof eventSubjects.alertCancelled>): WebhookEvent[] => [
    { eventId, occurredAt, type: 'alert.cancelled', owners: [coalition(coalitionId)], data: { alertId, coalitionId, ...(reason ? { reason } : {}) } },
  ],
  /** An organisation learns of a cancellation through its own relay of the alert. */
  [eventSubjects.relayCancelled]: (e: EventPayload<typeof eventSubjects.relayCancelled>): WebhookEvent[] => [
    { eventId: e.eventId, occurredAt: e.occurredAt, type: 'alert.cancelled', owners: [organisation(e.orgId)], data: { alertId: e.alertId, coalitionId: e.coalitionId, relayId: e.relayId } },
  ],
  /**
   * A review relay opened: the organisation hears when it must decide and what
   * happens otherwise; the coalition only that a member's decision waits (no
   * channels, no deadline policy: the organisation's own settings).
   */
  [eventSubjects.relayAwaitingReview]: (e: EventPayload<typeof eventSubjects.relayAwaitingReview>): WebhookEvent[] => {
    const relay = { relayId: e.relayId, alertId: e.alertId, alertVersion: e.alertVersion, coalitionId: e.coalitionId, orgId: e.orgId };
    return [
      { eventId: e.eventId, occurredAt: e.occurredAt, type: 'relay.decision_waiting', owners: [organisation(e.orgId)], data: { ...relay, channels: e.channels, deadline: e.deadline, onDeadline: e.onDeadline } },
      { eventId: `${e.eventId}:coalition`, occurredAt: e.occurredAt, type: 'relay.decision_waiting', owners: [coalition(e.coalitionId)], data: relay },
    ];
  },
  [eventSubjects.relayApproved]: (e: EventPayload<typeof eventSubjects.relayApproved>): WebhookEvent[] => [relayDecided(e, 'approved')],
  [eventSubjects.relayDeclined]: (e: EventPayload<typeof eventSubjects.relayDeclined>): WebhookEvent[] => [relayDecided(e, 'declined')],
  [eventSubjects.supporterErased]: ({ eventId, occurredAt, orgId, supporterId }: EventPayload<typeof eventSubjects.supporterErased>): WebhookEvent[] => [
    { eventId, occurredAt, type: 'supporter.erased', owners: [organisation(orgId)], data: { orgId, supporterId } },
  ],
  [eventSubjects.supporterConsentChanged]: ({ eventId, occurredAt, orgId, supporterId, channels, action }: EventPayload<typeof eventSubjects.supporterConsentChanged>): WebhookEvent[] => [
    { eventId, occurredAt, type: CONSENT_EVENTS[action], owners: [organisation(orgId)], data: { orgId, supporterId, channels } },
  ],
} as const;

const CONSENT_EVENTS = { granted: 'supporter.joined', confirmed: 'supporter.confirmed', withdrawn: 'supporter.unsubscribed' } as const;

export type WebhookSourceSubject = keyof typeof webhookEventsFrom;

function alertData(alert: EventPayload<typeof eventSubjects.alertPublished>['alert']) {
  const { alertId, coalitionId, version, primaryLanguage, texts, ctaUrl, urgency, topics, regions, expiresAt, publishedAt } = alert;
  return { alertId, coalitionId, version, primaryLanguage, texts, ctaUrl, urgency, topics, regions, ...(expiresAt ? { expiresAt } : {}), publishedAt };
}

function relayDecided(e: EventPayload<typeof eventSubjects.relayDeclined | typeof eventSubjects.relayApproved>, decision: 'approved' | 'declined'): WebhookEvent {
  return {
    eventId: e.eventId,
    occurredAt: e.occurredAt,
    type: 'relay.decided',
    owners: [coalition(e.coalitionId), organisation(e.orgId)],
    data: { relayId: e.relayId, alertId: e.alertId, alertVersion: e.alertVersion, coalitionId: e.coalitionId, orgId: e.orgId, decision, decidedBy: e.decidedBy },
  };
}

/** The webhook-id of one event at one endpoint: the same however often it is queued or tried. */
export function webhookMessageId(eventId: string, endpointId: string): string {
  return `msg_${createHash('sha256').update(`${eventId}\n${endpointId}`).digest('base64url').slice(0, 32)}`;
}
