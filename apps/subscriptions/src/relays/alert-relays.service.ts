import { Injectable, Logger } from '@nestjs/common';
import type { AlertSnapshot } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { MembershipRepository } from '../memberships/membership.repository';
import { alertSummary, draftRelay, matchesFilters } from './relay-policy';
import { RelayOutbox } from './relay-outbox';
import { RelayRepository } from './relay.repository';
import { ReviewNotices } from './review-notices';

/** What the alerts.* facts do to relays. Each handler is idempotent: a redelivery changes nothing twice. */
@Injectable()
export class AlertRelaysService {
  private readonly logger = new Logger(AlertRelaysService.name);

  constructor(
    private readonly memberships: MembershipRepository,
    private readonly relays: RelayRepository,
    private readonly outbox: RelayOutbox,
    private readonly reviewNotices: ReviewNotices,
  ) {}

  /** alerts.published: one relay per member organisation whose filters want the alert. */
  async open(alert: AlertSnapshot): Promise<ConsumerOutcome> {
    const members = await this.memberships.listForCoalition(alert.coalitionId);
    const wanting = members.filter((membership) => matchesFilters(membership.filters, alert));
    if (wanting.length === 0) return { kind: 'skipped', reason: 'no member organisation wants this alert' };
    const now = new Date();
    let opened = 0;
    for (const membership of wanting) {
      const relay = await this.relays.openOnce(draftRelay(alert, membership, now));
      if (!relay) continue;
      opened++;
      await this.outbox.publish(relay);
      if (relay.status === 'pending') await this.reviewNotices.announce(relay);
    }
    this.logger.log({ alertId: alert.alertId, coalitionId: alert.coalitionId, matching: wanting.length, opened }, 'relays opened');
    return { kind: 'handled' };
  }

  /** alerts.updated: relays show the corrected alert; nobody new is added. */
  async correct(alert: AlertSnapshot): Promise<ConsumerOutcome> {
    const corrected = await this.relays.correctForAlert(alert.coalitionId, alert.alertId, alertSummary(alert));
    return corrected > 0 ? { kind: 'handled' } : { kind: 'skipped', reason: 'no relay shows an older version' };
  }

  /** alerts.cancelled: every relay not already declined is cancelled, and says so on the stream. */
  async cancel(coalitionId: string, alertId: string): Promise<ConsumerOutcome> {
    const cancelled = await this.relays.cancelForAlert(coalitionId, alertId);
    for (const relay of cancelled) await this.outbox.publish(relay);
    if (cancelled.length === 0) return { kind: 'skipped', reason: 'no open relay for this alert' };
    this.logger.log({ alertId, coalitionId, cancelled: cancelled.length }, 'relays cancelled');
    return { kind: 'handled' };
  }
}
