import { Injectable } from '@nestjs/common';
import type { EventPayload, eventSubjects } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { CoalitionRepository } from '../coalitions/coalition.repository';
import { AccountRepository } from './account.repository';
import { StaffMail } from './staff-mail';

type ApprovalRequested = EventPayload<typeof eventSubjects.alertApprovalRequested>;

/**
 * A draft waits for a second coordinator: every other coordinator account
 * of the coalition is emailed a link to it. Redelivered, the same emails
 * carry the same event ids and JetStream drops them.
 */
@Injectable()
export class ApprovalNotices {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly coalitions: CoalitionRepository,
    private readonly mail: StaffMail,
  ) {}

  async send(event: ApprovalRequested): Promise<ConsumerOutcome> {
    const coalition = await this.coalitions.findById(event.coalitionId);
    if (!coalition) return { kind: 'skipped', reason: 'coalition not found' };
    // The asker's own account (a session's principal names its account) is not asked.
    const others = (await this.accounts.coordinatorsOf(event.coalitionId)).filter((account) => account._id.toHexString() !== event.requestedBy.tokenId);
    if (others.length === 0) return { kind: 'skipped', reason: 'no other coordinator has an account' };
    const message = {
      kind: 'approval-waiting',
      coalitionId: event.coalitionId,
      coalitionName: coalition.name,
      alertId: event.alertId,
      alertTitle: event.title,
      requestedBy: event.requestedBy.name,
    } as const;
    for (const account of others) await this.mail.send(account, message, event.eventId.replace(/[^A-Za-z0-9-]/g, '-'));
    return { kind: 'handled' };
  }
}
