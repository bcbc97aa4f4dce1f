import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineChannel } from '../channel-definition';

/** A browser's PushSubscription as `pushManager.subscribe()` returns it (JSON). */
export const pushSubscriptionSchema = z.strictObject({
  endpoint: z.string().url('must be a URL').max(2_000, 'must be at most 2000 characters'),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, 'must be the base64url P-256 public key of the subscription'),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}$/, 'must be the base64url 16-byte auth secret of the subscription'),
  }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;

/** A subscription as a supporter record keeps it. */
export interface StoredPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** sha256 of the endpoint: how delivery's feedback names a subscription without repeating the URL. */
  endpointHash: string;
}

export const endpointHashOf = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');

/** No `pending`: the browser's permission prompt is the opt-in. `gone`: the push service said the subscription no longer exists. */
export const pushStates = ['active', 'unsubscribed', 'gone'] as const;
export type PushState = (typeof pushStates)[number];

/** Web push: a browser's subscription; a push service's 404/410 makes it gone. */
export const pushChannel = defineChannel({
  name: 'push',
  contact: pushSubscriptionSchema,
  states: pushStates,
  active: 'active',
  unsubscribe: { from: ['active'], to: 'unsubscribed' },
  // The subscription is forgotten, so its key is free for the browser's next one.
  outcomes: { gone: { from: ['active', 'unsubscribed'], to: 'gone', forget: true } },
  key: { field: 'endpointKey', of: (push: StoredPushSubscription) => push.endpointHash },
  // The expiry the browser may add is dropped: push services do not keep to it.
  stored: ({ endpoint, keys }: PushSubscriptionJson): StoredPushSubscription => ({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth }, endpointHash: endpointHashOf(endpoint) }),
  sendable: ({ endpoint, keys }: StoredPushSubscription): PushSubscriptionJson => ({ endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }),
  providerHost: ({ endpoint }: PushSubscriptionJson) => {
    try {
      return new URL(endpoint).origin;
    } catch {
      return undefined; // not a URL: the push channel refuses it without sending
    }
  },
  identifiers: (push: StoredPushSubscription) => [push.endpoint],
});
