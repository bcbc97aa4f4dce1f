import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { eventSubjects } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { AccountRepository } from '../accounts/account.repository';
import { StaffMail } from '../accounts/staff-mail';
import { SUBSCRIPTIONS_CLOCK, type Clock } from '../common/clock';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { RelayRepository } from './relay.repository';
import type { RelayRecord } from './relay.schema';

const SWEEP_BATCH = 100;

/**
 * Tells an organisation's admins and editors that an alert waits for their
 * review: the moment the relay opens, and again REVIEW_REMINDER_BEFORE_MS
 * before its deadline while nobody decided. Each email is sent before the
 * relay records it, under an event id naming the relay and the account, so
 * a crash between the two or two replicas sweeping together mail nobody twice
 * within JetStream's duplicate window. The emails carry ids, the
 * organisation's name and the alert's title: never a supporter's data.
 * The opening is also a fact on the RELAYS stream (relays.relay.awaiting-review,
 * which delivery turns into the relay.decision_waiting webhook), published
 * before the emails under the same once-only rule: the relay records the
 * announcement only after both, so the sweep retries either.
 */
@Injectable()
export class ReviewNotices {
  private readonly logger = new Logger(ReviewNotices.name);

  constructor(
    private readonly relays: RelayRepository,
    private readonly accounts: AccountRepository,
    private readonly organisations: OrganisationRepository,
    private readonly mail: StaffMail,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: SubscriptionsConfig,
    @Inject(SUBSCRIPTIONS_CLOCK) private readonly now: Clock,
  ) {}

  /** Right after a review relay opened; a failure is left to the sweep. */
  async announce(relay: RelayRecord): Promise<void> {
    await this.notify(relay, 'review-waiting').catch((error: Error) =>
      this.logger.warn({ relayId: relay._id.toHexString(), err: error.message }, 'review notice not sent yet; the sweep tries again'),
    );
  }

  /** Called by the deadline scheduler every tick. */
  async sweep(): Promise<void> {
    const now = this.now();
    const remindBefore = new Date(now.getTime() + this.config.REVIEW_REMINDER_BEFORE_MS);
    for (const relay of await this.relays.findReviewNoticesOwed(remindBefore, SWEEP_BATCH)) {
      if (!relay.reviewAnnouncedAt) await this.notify(relay, 'review-waiting');
      else if (relay.deadline! > now) await this.notify(relay, 'review-reminder');
      // Past its deadline a reminder would come too late; the deadline sweep decides the relay.
      else await this.relays.markReviewNotice(relay._id.toHexString(), 'reviewRemindedAt', now);
    }
  }

  private async notify(relay: RelayRecord, kind: 'review-waiting' | 'review-reminder'): Promise<void> {
    const relayId = relay._id.toHexString();
    const [org, staff] = await Promise.all([this.organisations.findById(relay.orgId), this.accounts.staffOf(relay.orgId)]);
    if (org && relay.deadline) {
      const message = {
        kind,
        orgId: relay.orgId,
        orgName: org.name,
        relayId,
        alertTitle: relay.title,
        deadline: relay.deadline.toISOString(),
        onDeadline: relay.onDeadline ?? 'drop',
      } as const;
      if (kind === 'review-waiting') await this.announceOnBus(relay, relay.deadline, message.onDeadline);
      for (const account of staff) await this.mail.send(account, message, relayId);
    }
    const field = kind === 'review-waiting' ? 'reviewAnnouncedAt' : 'reviewRemindedAt';
    if (await this.relays.markReviewNotice(relayId, field, this.now())) this.logger.log({ relayId, kind, recipients: staff.length }, 'review notice sent');
  }

  private async announceOnBus(relay: RelayRecord, deadline: Date, onDeadline: 'approve' | 'drop'): Promise<void> {
    const eventId = `relay:${relay._id.toHexString()}:awaiting-review`;
    await this.events.publish(
      eventSubjects.relayAwaitingReview,
      {
        eventId,
        occurredAt: relay.createdAt.toISOString(),
        relayId: relay._id.toHexString(),
        alertId: relay.alertId,
        alertVersion: relay.alertVersion,
        coalitionId: relay.coalitionId,
        orgId: relay.orgId,
        channels: relay.channels,
        deadline: deadline.toISOString(),
        onDeadline,
      },
      { msgId: eventId },
    );
  }
}
