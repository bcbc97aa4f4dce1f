import { z } from 'zod';
import { channelNameSchema, contactsSchema, withLegacyContacts, type ChannelName } from '@clarion/channels';
import { renderedTextSchema, urgencySchema } from './alerts';
import { isoDate, objectId } from './fields';

export { pushSubscriptionSchema, type PushSubscriptionJson } from '@clarion/channels';

/** A channel of the registry (libs/channels). */
export const deliveryChannelSchema = channelNameSchema;
export type DeliveryChannel = ChannelName;

/**
 * One supporter in a batch: only what sending needs, and their contact on each channel they are reachable on.
 * Batches stored before the registry carried `email` and `push` beside the id: they are read into `contacts`
 * (docs/decisions/0036), so none waiting on the stream at an upgrade is lost.
 */
export const recipientSchema = withLegacyContacts(
  z.object({
    supporterId: objectId,
    language: z.string(),
    contacts: contactsSchema,
  }),
);
export type Recipient = z.infer<typeof recipientSchema>;

/** Everything a delivery worker needs to render this relay's messages without asking anyone. */
export const relayContentSchema = z.object({
  relayId: objectId,
  alertId: objectId,
  alertVersion: z.number().int().positive(),
  coalitionId: objectId,
  orgId: objectId,
  org: z.object({ name: z.string(), slug: z.string(), senderName: z.string(), colour: z.string(), logoUrl: z.string().optional() }),
  primaryLanguage: z.string(),
  texts: z.record(z.string(), renderedTextSchema),
  ctaUrl: z.string(),
  intro: z.string().optional(),
  urgency: urgencySchema,
  expiresAt: isoDate.optional(),
  channels: z.array(deliveryChannelSchema),
  /** When the alert was published: the start of the fan-out latency delivery measures (optional: batches from before it carried none). */
  publishedAt: isoDate.optional(),
});
export type RelayContent = z.infer<typeof relayContentSchema>;

/** What a follow-up batch says: the alert was corrected (to `alertVersion` of the relay content), or withdrawn. */
export const followUpSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('update') }),
  z.object({ kind: z.literal('retraction'), reason: z.string().max(500).optional() }),
]);
export type FollowUp = z.infer<typeof followUpSchema>;

/** `delivery.batch.v2.<eventId>`: a slice of one relay's audience, stored once on DELIVERY_BATCHES. */
export const deliveryBatchV1 = z.object({
  /**
   * `relay:<relayId>:from:<first supporterId>`, also the Nats-Msg-Id and the last token of its subject:
   * the stream refuses a re-published batch (subjectForEvent).
   */
  eventId: z
    .string()
    .min(8)
    .max(200)
    .regex(/^[^\s.*>]+$/, 'must be one NATS subject token: no dots, spaces, * or >'),
  occurredAt: isoDate,
  relay: relayContentSchema,
  recipients: z.array(recipientSchema).min(1).max(1_000),
  /** Asked for by "resend failed": deliveries of these recipients that failed are tried again (sent ones never are). */
  resend: z.boolean().optional(),
  /**
   * A follow-up to the relay's original message (docs/decisions/0028): sent only to recipients whose original was
   * sent, threaded to it (email) and under its Topic (push). `update` carries the corrected version's content.
   */
  followUp: followUpSchema.optional(),
});
export type DeliveryBatch = z.infer<typeof deliveryBatchV1>;

/** Supporters per resend request: the ids fit well inside NATS's 1 MB message. */
export const RESEND_SUPPORTERS_MAX = 5_000;

/**
 * `delivery.feedback.resend-requested.v1`: subscriptions expands these supporters of the relay into batches marked
 * `resend`, with their current consent. The event id, `resend:<relayId>:<hash of the failed records>`, is the same for
 * a repeated click until a resend has been tried, so a double request sends once.
 */
export const resendRequestedV1 = z.object({
  eventId: z.string().min(8).max(200).regex(/^[^\s.*>]+$/, 'must be one NATS subject token: no dots, spaces, * or >'),
  occurredAt: isoDate,
  relayId: objectId,
  alertId: objectId,
  orgId: objectId,
  supporterIds: z.array(objectId).min(1).max(RESEND_SUPPORTERS_MAX),
});

/** The answer to "resend failed": how many failed deliveries, of how many relays, were asked for again. */
export const resendFailedView = z.object({
  alertId: objectId,
  relays: z.number().int(),
  deliveries: z.number().int(),
  supporters: z.number().int(),
});
export type ResendFailedView = z.infer<typeof resendFailedView>;

/** Answer to deliveryRpc.click: the relay clicked, and where to send the person (a web address, nothing else). */
export const clickResultView = z.object({ relayId: objectId, redirectTo: z.url({ protocol: /^https?$/ }) });
export type ClickResultView = z.infer<typeof clickResultView>;

/**
 * Payloads of `deliveryRpc`. No actor: the gateway authorises before it asks
 * (a coordinator asks by alert, an organisation by its own id; a resend is
 * asked by the alert's coordinators or the organisation's admins and editors).
 */
export const deliveryRequests = {
  progress: z.union([z.strictObject({ alertId: objectId }), z.strictObject({ orgId: objectId })]),
  /** The signed token of a call-to-action link. */
  click: z.strictObject({ token: z.string().min(1).max(500) }),
  resendFailed: z.strictObject({ alertId: objectId, orgId: objectId.optional() }),
  /** One organisation's failed deliveries of an alert; the gateway lets only its own staff ask. */
  failures: z.strictObject({ alertId: objectId, orgId: objectId }),
  /**
   * Render a relay's messages for a sample supporter, sent nowhere: the console's previews. The content comes
   * from the service that authorised the caller (alerts for a draft, subscriptions for an organisation's relay).
   */
  renderPreview: z.strictObject({ content: relayContentSchema }),
  /**
   * A mail provider's report on a message we sent (docs/decisions/0030), as the gateway read it from an
   * authenticated webhook: the message's X-Clarion-Delivery-Id names the delivery, so no address travels.
   */
  providerFeedback: z.strictObject({
    provider: z.enum(['ses', 'postmark']),
    kind: z.enum(['hard-bounce', 'complaint']),
    deliveryId: objectId,
    /** The provider's id of the report, so a report sent twice acts once. */
    reportId: z.string().min(1).max(200),
    reason: z.string().max(500),
  }),
} as const;

/** Most failures one answer lists (the oldest first); `more` says there were others. */
export const FAILURES_LIMIT = 1000;

/** An organisation's deliveries of an alert whose attempts ran out: to whom (by id), how, why, when. */
export const deliveryFailuresView = z.object({
  alertId: objectId,
  orgId: objectId,
  failures: z.array(
    z.object({
      deliveryId: objectId,
      supporterId: objectId,
      channel: deliveryChannelSchema,
      /** The provider's last answer (an SMTP reply, a push service status). */
      reason: z.string(),
      attempts: z.number().int(),
      /** When the last attempt failed (absent for failures recorded before this was kept). */
      at: isoDate.optional(),
    }),
  ),
  more: z.boolean(),
});
export type DeliveryFailuresView = z.infer<typeof deliveryFailuresView>;


/** What delivery did with a provider's report: `unknown` when no email delivery has that id. */
export const providerFeedbackView = z.object({ outcome: z.enum(['reported', 'unknown']) });
export type ProviderFeedbackView = z.infer<typeof providerFeedbackView>;

/** `delivery.jobs.confirmation-email.v1`: the double opt-in email, in the organisation's name. */
export const confirmationEmailV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  org: z.object({ name: z.string(), slug: z.string(), senderName: z.string(), colour: z.string(), logoUrl: z.string().optional() }),
  supporterId: objectId,
  email: z.string(),
  language: z.string(),
  confirmUrl: z.string(),
});

/** `delivery.jobs.opt-in-code.v1`: a double opt-in code to send on the channel being joined (SMS), in the organisation's name. */
export const optInCodeV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  orgName: z.string(),
  supporterId: objectId,
  channel: channelNameSchema,
  contact: z.string().max(100),
  language: z.string(),
  code: z.string().regex(/^\d{6}$/),
  expiresInMinutes: z.number().int().min(1),
});

/** `delivery.jobs.supporter-erased.v1`: drop the supporter from the ledger's records (their counts stay). Ids only. */
export const supporterErasedV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  supporterId: objectId,
});

/** `deliveryRpc.supporterHistory`: the gateway asks only after subscriptions let the caller see this supporter. */
export const supporterHistoryRequest = z.strictObject({ orgId: objectId, supporterId: objectId });

/** One ledger record of a supporter, as their data export shows it. */
export const deliveryRecordView = z.object({
  deliveryId: objectId,
  relayId: objectId,
  alertId: objectId,
  channel: deliveryChannelSchema,
  state: z.string(),
  attempts: z.number().int(),
  sentAt: isoDate.optional(),
});
export type DeliveryRecordView = z.infer<typeof deliveryRecordView>;
export const supporterHistoryView = z.object({ deliveries: z.array(deliveryRecordView) });
export type SupporterHistoryView = z.infer<typeof supporterHistoryView>;

/** `delivery.feedback.*.v1`: what providers told us, for subscriptions to act on. */
export const pushGoneV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  supporterId: objectId,
  endpointHash: z.string(),
  status: z.number().int(),
});
export const emailRejectedV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  supporterId: objectId,
  smtpCode: z.number().int(),
  reason: z.string().max(500),
});

/** A supporter marked a message as spam at their mailbox provider (a complaint): they want no more email from the organisation. */
export const emailComplainedV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  supporterId: objectId,
  provider: z.string().max(50),
});

/**
 * A provider's final verdict on a supporter's contact (`suppress`: refused for good; `gone`: it no longer
 * exists), for channels registered after email and push, which keep their own subjects. Subscriptions applies
 * the registry's `outcomes[outcome]` only while the supporter's contact on the channel still has `keyHash`
 * (contactKeyHash): the event names the contact without carrying it.
 */
export const contactRefusedV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  orgId: objectId,
  supporterId: objectId,
  channel: deliveryChannelSchema,
  outcome: z.enum(['suppress', 'gone']),
  keyHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 in hex'),
  /** The provider's reply code (0 when we refused to send). */
  code: z.number().int(),
  reason: z.string().max(500),
});

/** Counters of one relay, as delivery sees them. */
export const channelCountsSchema = z.object({
  targeted: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  suppressed: z.number().int(),
});
export const relayProgressV1 = z.object({
  relayId: objectId,
  alertId: objectId,
  orgId: objectId,
  coalitionId: objectId,
  channels: z.record(deliveryChannelSchema, channelCountsSchema),
  clicked: z.number().int(),
  updatedAt: isoDate,
  /**
   * Counts the relay's updates, as the database applied them. Concurrent
   * batches finish in any order, and a writer's clock (updatedAt) can order
   * two snapshots against the order their counts were made in; this cannot.
   * Absent from snapshots made before it existed.
   */
  version: z.number().int().nonnegative().optional(),
});
export type RelayProgress = z.infer<typeof relayProgressV1>;

/** Whether `candidate` counts more of the relay's updates than `known`: by version where both have one, else by time. */
export function isNewerProgress(candidate: Pick<RelayProgress, 'version' | 'updatedAt'>, known: Pick<RelayProgress, 'version' | 'updatedAt'>): boolean {
  if (candidate.version !== undefined && known.version !== undefined) return candidate.version > known.version;
  return Date.parse(candidate.updatedAt) > Date.parse(known.updatedAt);
}

/** One language of a preview: the email and the push notification as a supporter would get them, for a sample supporter. */
export const messagePreviewView = z.object({
  language: z.string(),
  email: z.object({ subject: z.string(), html: z.string(), text: z.string() }),
  push: z.object({ title: z.string(), body: z.string(), url: z.string() }),
});
export type MessagePreviewView = z.infer<typeof messagePreviewView>;
export const messagePreviewsView = z.array(messagePreviewView);
