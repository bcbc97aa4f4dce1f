import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import type { StaffEmail } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { EmailChannel } from '../channels/email/email.channel';
import { renderStaffEmail } from './staff-email';

/**
 * Emails to people with accounts, from the network (MAIL_FROM) through its
 * SMTP server (SMTP_URL): the same channel, timeouts and headers as alerts.
 * No ledger: JetStream drops a republished event by its id, and a redelivery
 * after a crash at worst sends the same email twice.
 */
@Injectable()
export class StaffEmailService {
  private readonly logger = new Logger(StaffEmailService.name);

  constructor(
    private readonly email: EmailChannel,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async send(request: StaffEmail, now = new Date()): Promise<ConsumerOutcome> {
    const { subject, html, text } = renderStaffEmail(request, this.config.PUBLIC_BASE_URL, now);
    const outcome = await this.email.send({
      from: { name: 'Clarion', address: this.config.MAIL_FROM },
      to: request.to,
      subject,
      html,
      text,
      // Out-of-office replies and list software leave automatic mail alone (RFC 3834).
      headers: { 'Auto-Submitted': 'auto-generated' },
      messageId: `<${request.eventId.replace(/[^A-Za-z0-9._-]/g, '.')}@clarion.staff>`,
      deadline: this.email.deadline(),
    });
    switch (outcome.kind) {
      case 'sent':
        // The account, never the address or the link: a sign-in secret must not reach the logs.
        this.logger.log({ accountId: request.accountId, kind: request.message.kind }, 'staff email sent');
        return { kind: 'handled' };
      case 'suppress':
        return { kind: 'skipped', reason: `address refused: ${outcome.reason}` };
      case 'retry':
      case 'gone':
        return { kind: 'retry', reason: outcome.reason };
    }
  }
}
