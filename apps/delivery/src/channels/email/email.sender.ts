import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { FeedbackPublisher } from '../../feedback/feedback.publisher';
import type { RecipientRef } from '../../rendering/relay-messages';
import type { SenderIdentity } from '../../sender-identity/sender-identity';
import type { ChannelSender, RelaySending, SendFact, SendOutcome } from '../channel';
import { EmailChannel } from './email.channel';

/**
 * A batch's email deadline (EmailChannel.deadline(), two minutes) is
 * renewed once it is a minute old, so every message still has a minute:
 * waits for send rate tokens can make a batch outlast one deadline.
 */
const RENEW_EMAIL_DEADLINE_MS = 60_000;

/** Alert emails in the organisation's name: its SMTP server or the network's, its DKIM key, threaded follow-ups. */
@Injectable()
export class EmailSender implements ChannelSender<'email'> {
  constructor(
    private readonly email: EmailChannel,
    private readonly feedback: FeedbackPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  forRelay({ identity, messages }: RelaySending): (ref: RecipientRef, address: string) => Promise<SendOutcome> {
    const from = identity.smtp?.from ?? this.config.MAIL_FROM;
    const messageIdOf = (deliveryId: string) => `<${deliveryId}@${from.slice(from.lastIndexOf('@') + 1)}>`;
    const deadline = { signal: this.email.deadline(), since: Date.now() };
    return (ref, address) => {
      const original = ref.originalDeliveryId && ref.originalDeliveryId !== ref.deliveryId ? messageIdOf(ref.originalDeliveryId) : undefined;
      if (Date.now() - deadline.since >= RENEW_EMAIL_DEADLINE_MS) {
        deadline.signal = this.email.deadline();
        deadline.since = Date.now();
      }
      return this.email.send({
        smtpUrl: identity.smtp?.url,
        dkim: identity.dkim,
        from: { name: identity.senderName, address: from },
        to: address,
        messageId: messageIdOf(ref.deliveryId),
        ...(original ? { inReplyTo: original, references: original } : {}),
        deadline: deadline.signal,
        ...messages.email(ref),
      });
    };
  }

  providerClass(_address: string, identity: Pick<SenderIdentity, 'smtp'>): string {
    return identity.smtp ? 'smtp-organisation' : 'smtp-network';
  }

  /** A permanent refusal of the address: subscriptions suppresses it. */
  async report(outcome: SendOutcome, { deliveryId, orgId, supporterId }: SendFact): Promise<void> {
    if (outcome.kind !== 'suppress') return;
    await this.feedback.emailRejected({ key: deliveryId, orgId, supporterId, smtpCode: outcome.code, reason: outcome.reason });
  }
}
