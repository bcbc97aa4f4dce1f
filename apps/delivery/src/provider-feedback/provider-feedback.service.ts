import { Injectable } from '@nestjs/common';
import type { ProviderFeedbackView, ValidRequestOf, deliveryRpc } from '@clarion/contracts';
import { DeliveryRepository } from '../deliveries/delivery.repository';
import { FeedbackPublisher } from '../feedback/feedback.publisher';

/** The SMTP code a provider's hard bounce stands for: a permanent failure of the mailbox (RFC 5321 550). */
const HARD_BOUNCE_CODE = 550;

/**
 * A mail provider's bounce or complaint, after the send (docs/decisions/0030).
 * It joins the feedback a refusal at send time gives: a hard bounce is an
 * email rejection (subscriptions suppresses the address), a complaint an
 * unsubscription. The delivery id names organisation and supporter, so the
 * gateway never handles an address it would have to look up.
 */
@Injectable()
export class ProviderFeedbackService {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly feedback: FeedbackPublisher,
  ) {}

  async report({ provider, kind, deliveryId, reportId, reason }: ValidRequestOf<typeof deliveryRpc.providerFeedback>): Promise<ProviderFeedbackView> {
    const recipient = await this.deliveries.emailRecipient(deliveryId);
    if (!recipient) return { outcome: 'unknown' };
    // Keyed by the provider's report, so the same report sent again is dropped by the stream's duplicate window and by subscriptions.
    const key = `${provider}:${reportId}`.slice(0, 180);
    if (kind === 'hard-bounce') {
      await this.feedback.emailRejected({ key, ...recipient, smtpCode: HARD_BOUNCE_CODE, reason: `${provider}: ${reason}`.slice(0, 500) });
    } else {
      await this.feedback.emailComplained({ key, ...recipient, provider });
    }
    return { outcome: 'reported' };
  }
}
