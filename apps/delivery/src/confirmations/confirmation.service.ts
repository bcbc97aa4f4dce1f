import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import type { EventPayload, eventSubjects } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { errorMessage } from '../common/error-message';
import { EmailChannel } from '../channels/email/email.channel';
import { FeedbackPublisher } from '../feedback/feedback.publisher';
import { SendLimits } from '../rate-limits/send-limits';
import { confirmationEmail } from '../rendering/confirmation-email';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import { SenderIdentityCache } from '../sender-identity/sender-identity.cache';

type ConfirmationRequest = EventPayload<typeof eventSubjects.confirmationEmail>;

/**
 * The double opt-in email. No ledger: JetStream drops a republished request
 * by its message id, and a redelivery after a crash at worst sends the same
 * confirmation link twice, which is harmless.
 */
@Injectable()
export class ConfirmationService {
  constructor(
    private readonly email: EmailChannel,
    private readonly identities: SenderIdentityCache,
    private readonly feedback: FeedbackPublisher,
    private readonly limits: SendLimits,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async send(request: ConfirmationRequest): Promise<ConsumerOutcome> {
    let identity: SenderIdentity;
    try {
      identity = await this.identities.get(request.orgId);
    } catch (error) {
      return { kind: 'retry', reason: `no sender identity for the organisation: ${errorMessage(error)}` };
    }
    // Counted with the organisation's alerts and the recipient's mail provider: the same senders, the same limits.
    const { supporterId, language, email } = request;
    const permit = await this.limits.acquire({ orgId: request.orgId, channel: 'email', recipient: { supporterId, language, contacts: { email } } });
    if (!permit.ok) return { kind: 'retry', reason: permit.reason };
    const outcome = await this.email.send({
      smtpUrl: identity.smtp?.url,
      dkim: identity.dkim,
      from: { name: identity.senderName, address: identity.smtp?.from ?? this.config.MAIL_FROM },
      to: request.email,
      deadline: this.email.deadline(),
      ...confirmationEmail(request),
    });
    switch (outcome.kind) {
      case 'sent':
        return { kind: 'handled' };
      case 'suppress':
        await this.feedback.emailRejected({
          key: `confirm:${request.supporterId}`,
          orgId: request.orgId,
          supporterId: request.supporterId,
          smtpCode: outcome.code,
          reason: outcome.reason,
        });
        return { kind: 'skipped', reason: `address refused: ${outcome.reason}` };
      case 'retry':
      case 'gone':
        return { kind: 'retry', reason: outcome.reason };
    }
  }
}
