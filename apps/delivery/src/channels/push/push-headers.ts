import type { Urgency } from '@clarion/contracts';

export type WebPushUrgency = 'very-low' | 'low' | 'normal' | 'high';

const MIN_TTL_S = 60;
const DEFAULT_TTL_S = 24 * 60 * 60;
/** Push services keep a message at most about four weeks and clamp or refuse longer TTLs. */
const MAX_TTL_S = 28 * 24 * 60 * 60;

/** How long the push service should hold the message for an offline browser: until the alert expires, at least a minute. */
export function pushTtlSeconds(expiresAt: string | undefined, now = Date.now()): number {
  if (!expiresAt) return DEFAULT_TTL_S;
  const seconds = Math.ceil((Date.parse(expiresAt) - now) / 1000);
  return Math.min(MAX_TTL_S, Math.max(MIN_TTL_S, seconds));
}

/** RFC 8030 §5.3 has no level above high. */
export function webPushUrgency(urgency: Urgency): WebPushUrgency {
  return urgency === 'critical' ? 'high' : urgency;
}
