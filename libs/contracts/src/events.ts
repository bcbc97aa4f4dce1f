import { z } from 'zod';
import { staffEmailV1 } from './accounts';
import { alertSnapshotSchema } from './alerts';
import { confirmationEmailV1, contactRefusedV1, optInCodeV1, deliveryBatchV1, emailComplainedV1, emailRejectedV1, pushGoneV1, resendRequestedV1, supporterErasedV1 } from './delivery';
import { channelSchema } from './directory';
import { isoDate, objectId } from './fields';
import { relayDeciderSchema } from './relays';
import { joinRequestedV1, supporterConsentChangedV1 } from './supporters';
import { eventSubjects, oncePerEventId } from './subjects';
import { webhookDeliveryV1 } from './webhooks';

/** Carried by every event so consumers can deduplicate and trace it. */
const envelope = {
  /** Deterministic per fact (e.g. `alert:<id>:v<version>:published`); also the JetStream Nats-Msg-Id. */
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
};

export const alertPublishedV1 = z.object({ ...envelope, alert: alertSnapshotSchema });
export const alertUpdatedV1 = z.object({ ...envelope, alert: alertSnapshotSchema });
/** Ids, the title and who asks: the approval email needs nothing more. */
export const alertApprovalRequestedV1 = z.object({
  ...envelope,
  alertId: objectId,
  coalitionId: objectId,
  title: z.string(),
  requestedBy: z.object({ tokenId: objectId, name: z.string() }),
});

export const alertCancelledV1 = z.object({
  ...envelope,
  alertId: objectId,
  coalitionId: objectId,
  reason: z.string().max(500).optional(),
  /** False when the coordinator withdrew it silently: nobody already reached is told. Absent means told. */
  notifySupporters: z.boolean().optional(),
});

const relayFact = {
  ...envelope,
  relayId: objectId,
  alertId: objectId,
  alertVersion: z.number().int().positive(),
  coalitionId: objectId,
  orgId: objectId,
  decidedBy: relayDeciderSchema,
};

export const relayApprovedV1 = z.object({
  ...relayFact,
  channels: z.array(channelSchema),
  intro: z.string().optional(),
  ctaUrl: z.string().optional(),
});
export const relayDeclinedV1 = z.object({ ...relayFact, reason: z.string().optional() });
export const relayCancelledV1 = z.object(relayFact);
/** A relay that waits for its organisation's decision until `deadline`, then `onDeadline` applies. */
export const relayAwaitingReviewV1 = z.object({
  ...envelope,
  relayId: objectId,
  alertId: objectId,
  alertVersion: z.number().int().positive(),
  coalitionId: objectId,
  orgId: objectId,
  channels: z.array(channelSchema),
  deadline: isoDate,
  onDeadline: z.enum(['approve', 'drop']),
});

/**
 * The map from subject to payload schema: publishing the wrong payload on a
 * subject does not compile, and consumers validate against the same entry.
 */
export const eventContracts = {
  [eventSubjects.alertPublished]: alertPublishedV1,
  [eventSubjects.alertUpdated]: alertUpdatedV1,
  [eventSubjects.alertCancelled]: alertCancelledV1,
  [eventSubjects.alertApprovalRequested]: alertApprovalRequestedV1,
  [eventSubjects.relayApproved]: relayApprovedV1,
  [eventSubjects.relayDeclined]: relayDeclinedV1,
  [eventSubjects.relayCancelled]: relayCancelledV1,
  [eventSubjects.relayAwaitingReview]: relayAwaitingReviewV1,
  [eventSubjects.deliveryBatch]: deliveryBatchV1,
  [eventSubjects.confirmationEmail]: confirmationEmailV1,
  [eventSubjects.optInCode]: optInCodeV1,
  [eventSubjects.staffEmail]: staffEmailV1,
  [eventSubjects.joinRequested]: joinRequestedV1,
  [eventSubjects.pushGone]: pushGoneV1,
  [eventSubjects.emailRejected]: emailRejectedV1,
  [eventSubjects.emailComplained]: emailComplainedV1,
  [eventSubjects.contactRefused]: contactRefusedV1,
  [eventSubjects.resendRequested]: resendRequestedV1,
  [eventSubjects.supporterErased]: supporterErasedV1,
  [eventSubjects.supporterConsentChanged]: supporterConsentChangedV1,
  [eventSubjects.webhookDelivery]: webhookDeliveryV1,
} as const;

export type EventSubject = keyof typeof eventContracts;
export type EventPayload<S extends EventSubject> = z.infer<(typeof eventContracts)[S]>;

export function isEventSubject(subject: string): subject is EventSubject {
  return Object.prototype.hasOwnProperty.call(eventContracts, subject);
}

/** The event subject a message arrived on: its own subject, or a oncePerEventId subject with the event id after it. */
export function eventSubjectOf(received: string): EventSubject | undefined {
  if (isEventSubject(received)) return received;
  return [...oncePerEventId].find((subject): subject is EventSubject => received.startsWith(`${subject}.`) && isEventSubject(subject));
}
