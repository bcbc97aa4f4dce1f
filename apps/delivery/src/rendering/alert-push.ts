import type { RelayContent, Urgency } from '@clarion/contracts';
import type { AlertContent } from './alert-content';
import { oneLine } from './html-text';

/** What a notification shows; small enough for a push message (4 KB encrypted, RFC 8030 §7.2). */
export interface AlertPush {
  title: string;
  /** Plain text, one line. */
  body: string;
  /** The call to action, through the click counter. */
  url: string;
  relayId: string;
  urgency: Urgency;
}

const BODY_MAX = 200;

export function alertPush(relay: RelayContent, content: AlertContent, clickUrl: string): AlertPush {
  const body = [content.intro, content.bodyText].filter(Boolean).join(' — ');
  return { title: content.title, body: oneLine(body, BODY_MAX), url: clickUrl, relayId: relay.relayId, urgency: relay.urgency };
}

/**
 * The JSON the service worker receives; the delivery id lets it (and tests) match a notification to the ledger.
 * A follow-up says which kind it is, and names the original's delivery id, so the worker can replace that notification.
 */
export function pushPayload(push: AlertPush, deliveryId: string, followUp?: { kind: 'update' | 'retraction'; originalDeliveryId: string }): string {
  return JSON.stringify({
    title: push.title,
    body: push.body,
    url: push.url,
    deliveryId,
    relayId: push.relayId,
    urgency: push.urgency,
    ...(followUp ? { followUp: followUp.kind, replaces: followUp.originalDeliveryId } : {}),
  });
}
