import { Injectable } from '@nestjs/common';
import type { PushSubscriptionJson } from '@clarion/channels';
import { FeedbackPublisher } from '../../feedback/feedback.publisher';
import type { RecipientRef } from '../../rendering/relay-messages';
import type { ChannelSender, RelaySending, SendFact, SendOutcome } from '../channel';
import { pushTtlSeconds, webPushUrgency } from './push-headers';
import { pushTopic } from './push-topic';
import { PushChannel } from './push.channel';

/** The push services browsers use, by the end of their host; anything else is `other-push`. */
const PUSH_SERVICES: [suffix: string, name: string][] = [
  ['fcm.googleapis.com', 'fcm'],
  ['push.services.mozilla.com', 'mozilla'],
  ['push.apple.com', 'apple'],
  ['notify.windows.com', 'wns'],
];

/** Notifications signed with the organisation's VAPID keys; a follow-up replaces its original under the same Topic. */
@Injectable()
export class PushSender implements ChannelSender<'push'> {
  constructor(
    private readonly push: PushChannel,
    private readonly feedback: FeedbackPublisher,
  ) {}

  forRelay({ relay, identity, messages }: RelaySending): (ref: RecipientRef, subscription: PushSubscriptionJson) => Promise<SendOutcome> {
    return (ref, subscription) =>
      this.push.send({
        subscription,
        payload: messages.pushPayload(ref),
        ttlSeconds: pushTtlSeconds(relay.expiresAt),
        urgency: webPushUrgency(relay.urgency),
        ...(ref.originalDeliveryId ? { topic: pushTopic(ref.originalDeliveryId) } : {}),
        vapid: identity.vapid,
      });
  }

  /** The browser vendor's push service: a supporter's browser chooses the host, so it is never a label as given. */
  providerClass({ endpoint }: PushSubscriptionJson): string {
    let host = '';
    try {
      host = new URL(endpoint).hostname.toLowerCase();
    } catch {
      return 'other-push';
    }
    const known = PUSH_SERVICES.find(([suffix]) => host === suffix || host.endsWith(`.${suffix}`));
    return known ? known[1] : 'other-push';
  }

  /** The subscription no longer exists: subscriptions forgets it. */
  async report(outcome: SendOutcome, { deliveryId, orgId, supporterId }: SendFact, { endpoint }: PushSubscriptionJson): Promise<void> {
    if (outcome.kind !== 'gone') return;
    await this.feedback.pushGone({ key: deliveryId, orgId, supporterId, endpoint, status: outcome.status });
  }
}
