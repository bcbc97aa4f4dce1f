import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { FeedbackPublisher } from '../../feedback/feedback.publisher';
import type { RecipientRef } from '../../rendering/relay-messages';
import type { SenderIdentity } from '../../sender-identity/sender-identity';
import type { ChannelSender, RelaySending, SendFact, SendOutcome } from '../channel';
import { EmailChannel } from './email.channel';
import { MimeMessage } from './mime-message';

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
    const sender = { name: identity.senderName, address: from };
    const messageIdOf = (deliveryId: string) => `<${deliveryId}@${from.slice(from.lastIndexOf('@') + 1)}>`;
    const deadline = { signal: this.email.deadline(), since: Date.now() };
    // One per language's subject: its header block and boundary are the same for all of them.
    const prepared = new Map<string, MimeMessage>();
    return (ref, address) => {
      const original = ref.originalDeliveryId && ref.originalDeliveryId !== ref.deliveryId ? messageIdOf(ref.originalDeliveryId) : undefined;
      if (Date.now() - deadline.since >= RENEW_EMAIL_DEADLINE_MS) {
        deadline.signal = this.email.deadline();
        deadline.since = Date.now();
      }
      const { subject, html, text, headers, relayHeaders } = messages.email(ref);
      const messageId = messageIdOf(ref.deliveryId);
      const threading = original ? { inReplyTo: original, references: original } : {};
      const sending = { smtpUrl: identity.smtp?.url, dkim: identity.dkim, deadline: deadline.signal };
      let mime = prepared.get(subject);
      if (!mime) prepared.set(subject, (mime = new MimeMessage(sender, subject, relayHeaders)));
      const raw = mime.build({ to: address, messageId, ...threading, headers, text, html });
      if (raw) return this.email.send({ ...sending, envelope: { from, to: address }, raw, messageId });
      return this.email.send({ ...sending, from: sender, to: address, subject, html, text, headers: { ...headers, ...relayHeaders }, messageId, ...threading });
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
