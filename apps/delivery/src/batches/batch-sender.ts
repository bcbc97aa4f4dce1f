import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import type { DeliveryBatch, Recipient, RelayContent } from '@clarion/contracts';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { sendErrors } from '@clarion/observability';
import type { SendOutcome } from '../channels/channel';
import { providerClass } from '../channels/provider-class';
import { EmailChannel, type EmailMessage } from '../channels/email.channel';
import { PushChannel, type PushMessage } from '../channels/push.channel';
import { pushTtlSeconds, webPushUrgency } from '../channels/push-headers';
import { pushTopic } from '../channels/push-topic';
import { errorMessage } from '../common/error-message';
import { mapBounded } from '../common/map-bounded';
import { deliveryIdOf, type OpenDelivery } from '../deliveries/delivery.repository';
import { SendLimits } from '../rate-limits/send-limits';
import { RelayStateRepository } from '../relays/relay-state.repository';
import { MessageLinks } from '../rendering/message-links';
import { RelayMessages, type RecipientRef } from '../rendering/relay-messages';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import { CancellationWatch } from './cancellation-watch';

export interface Attempt {
  delivery: OpenDelivery;
  outcome: SendOutcome;
}

export interface SendReport {
  attempts: Attempt[];
  /** Not sent because the relay was cancelled while the batch was sending. */
  cancelled: OpenDelivery[];
}

interface Sending {
  relay: RelayContent;
  identity: SenderIdentity;
  messages: RelayMessages;
  emailDeadline: { signal: AbortSignal; since: number };
}

/**
 * The batch's email deadline (EmailChannel.deadline(), two minutes) is
 * renewed once it is a minute old, so every message still has a minute:
 * waits for send rate tokens can make a batch outlast one deadline.
 */
const RENEW_EMAIL_DEADLINE_MS = 60_000;

type Result = { delivery: OpenDelivery; outcome?: SendOutcome };

/** Sends a batch's open deliveries, SEND_CONCURRENCY at a time, each through its channel's adapter. */
@Injectable()
export class BatchSender {
  private readonly logger = new Logger(BatchSender.name);

  constructor(
    private readonly email: EmailChannel,
    private readonly push: PushChannel,
    private readonly links: MessageLinks,
    private readonly relayStates: RelayStateRepository,
    private readonly limits: SendLimits,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async send(batch: DeliveryBatch, identity: SenderIdentity, open: OpenDelivery[]): Promise<SendReport> {
    const { relay } = batch;
    const recipients = new Map(batch.recipients.map((recipient) => [recipient.supporterId, recipient]));
    const sending: Sending = {
      relay,
      identity,
      messages: new RelayMessages(relay, this.links, batch.followUp),
      emailDeadline: { signal: this.email.deadline(), since: Date.now() },
    };
    const watch = new CancellationWatch(
      () => this.relayStates.isCancelled(relay.relayId),
      (error) => this.logger.warn({ relayId: relay.relayId, err: errorMessage(error) }, 'cancellation check failed; sending on'),
    );
    // A retraction is what a cancelled relay sends; everything else stops when the relay is cancelled.
    const stopsOnCancel = batch.followUp?.kind !== 'retraction';
    const cancelled = async () => stopsOnCancel && (await watch.seen());
    const results = await mapBounded(open, this.config.SEND_CONCURRENCY, async (delivery): Promise<Result> => {
      const recipient = recipients.get(delivery.supporterId);
      if (await cancelled()) return { delivery };
      // A token of each send rate limit the message falls under, shared by every worker (docs/decisions/0014).
      const permit = await this.limits.acquire({ orgId: relay.orgId, channel: delivery.channel, recipient });
      if (!permit.ok) return { delivery, outcome: { kind: 'retry', reason: permit.reason } };
      // The wait may have been long: the relay may have been cancelled meanwhile.
      if (await cancelled()) return { delivery };
      const outcome = await this.sendOne(sending, delivery, recipient);
      if (outcome.kind !== 'sent') {
        sendErrors.inc({ channel: delivery.channel, provider_class: providerClass(delivery.channel, recipient, identity), kind: outcome.kind });
      }
      return { delivery, outcome };
    });
    return {
      attempts: results.filter((result): result is Attempt => result.outcome !== undefined),
      cancelled: results.filter((result) => result.outcome === undefined).map((result) => result.delivery),
    };
  }

  private async sendOne(sending: Sending, delivery: OpenDelivery, recipient: Recipient | undefined): Promise<SendOutcome> {
    try {
      if (!recipient) throw new Error('the ledger has a delivery for a supporter this batch does not carry');
      // The original's record on this channel: the message itself, or the one a follow-up threads to and replaces.
      const originalDeliveryId = deliveryIdOf(sending.relay.relayId, delivery).toHexString();
      const ref: RecipientRef = { supporterId: delivery.supporterId, language: recipient.language, deliveryId: delivery.deliveryId, originalDeliveryId };
      switch (delivery.channel) {
        case 'email':
          return await this.email.send(this.emailMessage(sending, ref, recipient));
        case 'push':
          return await this.push.send(this.pushMessage(sending, ref, recipient));
      }
    } catch (error) {
      // Not a provider's verdict but a message we could not prepare: retried like a provider outage, and bounded the same way.
      this.logger.error({ relayId: sending.relay.relayId, deliveryId: delivery.deliveryId, err: errorMessage(error) }, 'message not prepared');
      return { kind: 'retry', reason: errorMessage(error) };
    }
  }

  private emailMessage({ identity, messages, emailDeadline }: Sending, ref: RecipientRef, recipient: Recipient): EmailMessage {
    if (!recipient.email) throw new Error('email delivery for a recipient without an address');
    const address = identity.smtp?.from ?? this.config.MAIL_FROM;
    const messageIdOf = (deliveryId: string) => `<${deliveryId}@${address.slice(address.lastIndexOf('@') + 1)}>`;
    const original = ref.originalDeliveryId && ref.originalDeliveryId !== ref.deliveryId ? messageIdOf(ref.originalDeliveryId) : undefined;
    return {
      smtpUrl: identity.smtp?.url,
      dkim: identity.dkim,
      from: { name: identity.senderName, address },
      to: recipient.email,
      messageId: messageIdOf(ref.deliveryId),
      ...(original ? { inReplyTo: original, references: original } : {}),
      deadline: this.renewed(emailDeadline),
      ...messages.email(ref),
    };
  }

  private renewed(deadline: Sending['emailDeadline']): AbortSignal {
    const now = Date.now();
    if (now - deadline.since >= RENEW_EMAIL_DEADLINE_MS) {
      deadline.signal = this.email.deadline();
      deadline.since = now;
    }
    return deadline.signal;
  }

  private pushMessage({ relay, identity, messages }: Sending, ref: RecipientRef, recipient: Recipient): PushMessage {
    if (!recipient.push) throw new Error('push delivery for a recipient without a subscription');
    return {
      subscription: recipient.push,
      payload: messages.pushPayload(ref),
      ttlSeconds: pushTtlSeconds(relay.expiresAt),
      urgency: webPushUrgency(relay.urgency),
      ...(ref.originalDeliveryId ? { topic: pushTopic(ref.originalDeliveryId) } : {}),
      vapid: identity.vapid,
    };
  }
}
