import { z } from 'zod';
import { withActor } from './access';
import { channelSchema } from './directory';
import { httpsUrl, isoDate, objectId, plainText } from './fields';

export const relayStatusSchema = z.enum(['pending', 'approved', 'declined', 'cancelled']);
export type RelayStatus = z.infer<typeof relayStatusSchema>;

/** Who decided: the policy at once, an editor, or the review deadline. */
export const relayDeciderSchema = z.enum(['auto', 'editor', 'deadline', 'alert_cancelled']);

export const approveRelayInput = z.strictObject({
  /** The organisation's own line above the alert, in its voice. */
  intro: plainText(500).optional(),
  /** The organisation's own call-to-action URL, replacing the coalition's. */
  ctaUrl: httpsUrl.optional(),
});
export type ApproveRelayInput = z.infer<typeof approveRelayInput>;

export const declineRelayInput = z.strictObject({ reason: plainText(500).optional() });

export const relayView = z.object({
  id: objectId,
  orgId: objectId,
  coalitionId: objectId,
  alertId: objectId,
  alertVersion: z.number().int(),
  title: z.string(),
  urgency: z.string(),
  status: relayStatusSchema,
  channels: z.array(channelSchema),
  deadline: isoDate.optional(),
  onDeadline: z.enum(['approve', 'drop']).optional(),
  intro: z.string().optional(),
  ctaUrl: z.string().optional(),
  decidedBy: relayDeciderSchema.optional(),
  decidedAt: isoDate.optional(),
  createdAt: isoDate,
});
export type RelayView = z.infer<typeof relayView>;

/** What a coordinator may see of an alert's relays: counts, never an organisation's supporters. */
export const relayCountsView = z.object({
  alertId: objectId,
  organisations: z.number().int(),
  pending: z.number().int(),
  approved: z.number().int(),
  declined: z.number().int(),
  cancelled: z.number().int(),
});
export type RelayCountsView = z.infer<typeof relayCountsView>;

/**
 * One organisation's relay of an alert, as the coalition's coordinators see it on their dashboard:
 * who the organisation is and what it decided, when, and its deadline — never its supporters.
 */
export const alertRelayView = z.object({
  relayId: objectId,
  orgId: objectId,
  orgName: z.string(),
  alertVersion: z.number().int(),
  status: relayStatusSchema,
  decidedBy: relayDeciderSchema.optional(),
  decidedAt: isoDate.optional(),
  deadline: isoDate.optional(),
  onDeadline: z.enum(['approve', 'drop']).optional(),
});
export type AlertRelayView = z.infer<typeof alertRelayView>;

/** The alert as one organisation relays it, for its public landing page: no supporter data. */
export const publicRelayView = z.object({
  relayId: objectId,
  status: relayStatusSchema,
  org: z.object({ name: z.string(), slug: z.string(), colour: z.string(), logoUrl: z.string().optional() }),
  language: z.string(),
  title: z.string(),
  bodyHtml: z.string(),
  ctaLabel: z.string(),
  intro: z.string().optional(),
  urgency: z.string(),
  expiresAt: isoDate.optional(),
});
export type PublicRelayView = z.infer<typeof publicRelayView>;

export const relayRequests = {
  list: withActor({ orgId: objectId, status: relayStatusSchema.optional() }),
  approve: withActor({ orgId: objectId, relayId: objectId, input: approveRelayInput }),
  decline: withActor({ orgId: objectId, relayId: objectId, input: declineRelayInput }),
  counts: withActor({ alertId: objectId, coalitionId: objectId }),
  /** Per organisation (alertRelayView); `coalitionId` is the alert's, as alerts told the gateway. */
  listForAlert: withActor({ alertId: objectId, coalitionId: objectId }),
  /** Public (no actor): the landing page of a relayed alert, in the asked language or the primary one. */
  publicView: z.object({ relayId: objectId, language: z.string().max(10).optional() }),
  /** The relay's content as it would go out, with the intro and call to action being edited (not stored), for its staff's preview. */
  previewContent: withActor({ orgId: objectId, relayId: objectId, input: approveRelayInput }),
} as const;
