import { z } from 'zod';
import { withActor } from './access';
import { isoDate, objectId } from './fields';

/**
 * Signed outbound webhooks (docs/decisions/0029): organisations and coalitions
 * name an https endpoint and the events it wants; delivery signs each event
 * the Standard Webhooks way and posts it from a durable queue.
 */

/** Events a coalition's endpoint may ask for: what its coordinators already see. */
export const coalitionWebhookEvents = ['alert.published', 'alert.corrected', 'alert.cancelled', 'relay.decision_waiting', 'relay.decided'] as const;
/**
 * Events an organisation's endpoint may ask for: its own relays, and its own
 * supporters (ids only, data it already holds). Never a coalition's.
 */
export const organisationWebhookEvents = [
  'alert.cancelled',
  'relay.decision_waiting',
  'relay.decided',
  'supporter.joined',
  'supporter.confirmed',
  'supporter.unsubscribed',
  'supporter.erased',
] as const;
export const supporterWebhookEvents = ['supporter.joined', 'supporter.confirmed', 'supporter.unsubscribed', 'supporter.erased'] as const;
export const webhookEventTypes = ['alert.published', 'alert.corrected', 'alert.cancelled', 'relay.decision_waiting', 'relay.decided', ...supporterWebhookEvents] as const;
export const webhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventType>;

export const webhookOwnerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('organisation'), id: objectId }),
  z.strictObject({ kind: z.literal('coalition'), id: objectId }),
]);
export type WebhookOwner = z.infer<typeof webhookOwnerSchema>;

/** Checked for form here; where it may point (https, public addresses) is checked by delivery (OutboundRules). */
export const webhookUrl = z
  .string()
  .max(2_000, 'must be at most 2000 characters')
  .refine((value) => URL.canParse(value), 'must be a URL');

const eventTypes = z
  .array(webhookEventType)
  .min(1, 'must name at least one event type')
  .max(webhookEventTypes.length)
  .refine((types) => new Set(types).size === types.length, 'must not name an event type twice');

export const createWebhookInput = z.strictObject({
  url: webhookUrl,
  eventTypes,
  description: z.string().max(200, 'must be at most 200 characters').optional(),
});
export const updateWebhookInput = z
  .strictObject({ url: webhookUrl.optional(), eventTypes: eventTypes.optional(), description: z.string().max(200).optional(), disabled: z.boolean().optional() })
  .refine((input) => Object.keys(input).length > 0, 'must change something');
/** How long the old secret still signs after a rotation, so a receiver can switch without losing events; at most a week. */
export const rotateWebhookSecretInput = z.strictObject({
  overlapSeconds: z.number().int().min(0).max(7 * 24 * 3600, 'must be at most 604800 seconds (a week)').default(24 * 3600),
});

export const webhookEndpointView = z.object({
  id: objectId,
  owner: webhookOwnerSchema,
  url: z.string(),
  eventTypes: z.array(webhookEventType),
  description: z.string().optional(),
  disabled: z.boolean(),
  /** Secrets in use: when each was made and, for one being retired, until when it still signs. Never the secret. */
  secrets: z.array(z.object({ createdAt: isoDate, expiresAt: isoDate.optional() })),
  createdAt: isoDate,
});
export type WebhookEndpointView = z.infer<typeof webhookEndpointView>;
/** The answer to create and rotate: the only time the secret (`whsec_…`) is shown. */
export const webhookSecretView = z.object({ endpoint: webhookEndpointView, secret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/) });
export type WebhookSecretView = z.infer<typeof webhookSecretView>;

export const webhookAttemptView = z.object({ at: isoDate, status: z.number().int().optional(), error: z.string().optional(), durationMs: z.number().int() });
export const webhookDeliveryView = z.object({
  messageId: z.string(),
  eventType: webhookEventType,
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(webhookAttemptView),
  createdAt: isoDate,
});
export type WebhookDeliveryView = z.infer<typeof webhookDeliveryView>;

export const webhookRequests = {
  create: withActor({ owner: webhookOwnerSchema, input: createWebhookInput }),
  list: withActor({ owner: webhookOwnerSchema }),
  update: withActor({ endpointId: objectId, input: updateWebhookInput }),
  remove: withActor({ endpointId: objectId }),
  rotateSecret: withActor({ endpointId: objectId, input: rotateWebhookSecretInput }),
  deliveries: withActor({ endpointId: objectId, limit: z.number().int().min(1).max(200).default(50) }),
};

/** One event for one endpoint, queued on the WEBHOOKS work queue: the webhook-id is fixed here, so every attempt carries the same. */
export const webhookDeliveryV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  endpointId: objectId,
  /** The webhook-id header: the same on every attempt, so a receiver can drop a repeat. */
  messageId: z.string().regex(/^msg_[A-Za-z0-9_-]{8,100}$/),
  type: webhookEventType,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookDeliveryJob = z.infer<typeof webhookDeliveryV1>;
