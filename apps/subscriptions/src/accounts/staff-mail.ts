import { Injectable, Logger } from '@nestjs/common';
import { eventSubjects, type StaffMessage } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import type { AccountRecord } from './account.schema';

/**
 * Queues an email to a person with an account (delivery sends it through the
 * network's SMTP server). The event id names the fact, so a repeat of the
 * same fact (a redelivered relay event, two replicas' sweeps) is dropped by
 * JetStream instead of mailing twice.
 */
@Injectable()
export class StaffMail {
  private readonly logger = new Logger(StaffMail.name);

  constructor(private readonly events: EventPublisher) {}

  async send(account: AccountRecord, message: StaffMessage, factId: string): Promise<void> {
    const accountId = account._id.toHexString();
    const eventId = `staff:${message.kind}:${factId}:${accountId}`;
    await this.events.publish(
      eventSubjects.staffEmail,
      { eventId, occurredAt: new Date().toISOString(), accountId, to: account.email, name: account.name, language: account.language, message },
      { msgId: eventId, retryForMs: 5_000 },
    );
    this.logger.log({ accountId, kind: message.kind }, 'staff email queued');
  }
}
