import { z } from 'zod';
import { withActor } from './access';
import { storedAlertContent } from './alerts';
import { isoDate, objectId } from './fields';

/** Request subjects of the CAP 1.2 feed (docs/decisions/0028). */
export const capRpc = {
  /** Public to the gateway (no actor): a coalition's published alerts, with their message history, for CAP and Atom. */
  alerts: 'alerts.cap.alerts.v1',
  /** The gateway asks whether a feed request may read this coalition's feed (public, or the token's hash matches). */
  access: 'subscriptions.coalitions.cap-access.v1',
  /** A coordinator sets the feed public or token-protected; `token` issues a new token (rotation). */
  setFeed: 'subscriptions.coalitions.cap-feed.set.v1',
} as const;

export const capFeedAccessSchema = z.enum(['public', 'token']);
export type CapFeedAccess = z.infer<typeof capFeedAccessSchema>;

export const setCapFeedInput = z.strictObject({ access: capFeedAccessSchema });

/** `token` is shown once, when the feed becomes (or stays) token-protected; only its hash is kept. */
export const capFeedSettingsView = z.object({ coalitionId: objectId, access: capFeedAccessSchema, token: z.string().optional() });
export type CapFeedSettingsView = z.infer<typeof capFeedSettingsView>;

export const capAccessView = z.object({ allowed: z.boolean(), name: z.string(), slug: z.string() });
export type CapAccessView = z.infer<typeof capAccessView>;

/** One CAP message of an alert: version 1 is the Alert, later versions Updates; `sentAt` is when it went out. */
export const capMessageSchema = z.object({ version: z.number().int().positive(), sentAt: isoDate });

export const capAlertView = z.object({
  id: objectId,
  coalitionId: objectId,
  status: z.enum(['published', 'cancelled', 'expired']),
  version: z.number().int().positive(),
  ...storedAlertContent,
  /** Every version that went out, oldest first; the last is the current one. */
  messages: z.array(capMessageSchema).min(1),
  cancelledAt: isoDate.optional(),
  cancelReason: z.string().optional(),
});
export type CapAlertView = z.infer<typeof capAlertView>;

export const capRequests = {
  alerts: z.object({ coalitionId: objectId, alertId: objectId.optional() }),
  access: z.object({ coalitionId: objectId, tokenHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest').optional() }),
  setFeed: withActor({ coalitionId: objectId, input: setCapFeedInput }),
} as const;

export const capAlertsView = z.object({ alerts: z.array(capAlertView) });
