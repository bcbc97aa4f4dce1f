import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import type { EventPayload, eventSubjects } from '@clarion/contracts';
import { EventPublisher, type ConsumerOutcome } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { AlertSnapshotRepository } from '../alert-snapshots/alert-snapshot.repository';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { RelayRepository } from '../relays/relay.repository';
import { SupporterRepository } from '../supporters/supporter.repository';
import { recipientFor } from './audience';
import { publishBatch } from './delivery-batches';
import { relayContent } from './relay-content';

type ResendRequested = EventPayload<typeof eventSubjects.resendRequested>;

/**
 * Delivery's "resend failed": the named supporters of an approved relay, as
 * batches marked `resend`, with the alert's newest version and each
 * supporter's consent as it is now (someone who unsubscribed meanwhile gets
 * nothing). No checkpoint: a request is at most a few batches, and a request
 * handled again publishes the same batch ids, which the stream refuses.
 */
@Injectable()
export class ResendFanOutService {
  private readonly logger = new Logger(ResendFanOutService.name);
  private readonly batchSize: number;

  constructor(
    private readonly relays: RelayRepository,
    private readonly snapshots: AlertSnapshotRepository,
    private readonly organisations: OrganisationRepository,
    private readonly supporters: SupporterRepository,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.batchSize = config.FAN_OUT_BATCH_SIZE;
  }

  async resend(request: ResendRequested): Promise<ConsumerOutcome> {
    const { orgId, relayId } = request;
    const relay = await this.relays.findInOrg(orgId, relayId);
    if (!relay) return { kind: 'skipped', reason: 'unknown relay' };
    if (relay.status !== 'approved') return { kind: 'skipped', reason: `relay ${relay.status}` };
    const alert = await this.snapshots.find(relay.alertId);
    if (!alert) return { kind: 'retry', reason: 'alert not stored yet' };
    if (alert.expiresAt && Date.parse(alert.expiresAt) <= Date.now()) return { kind: 'skipped', reason: 'alert expired' };
    const org = await this.organisations.findById(orgId);
    if (!org) return { kind: 'skipped', reason: 'unknown organisation' };

    const content = relayContent({ ...relay, relayId }, alert, org);
    const audience = { channels: relay.channels, alertTopics: alert.topics };
    const members = await this.supporters.audienceByIds(orgId, request.supporterIds);
    const recipients = members.flatMap((member) => recipientFor(member, audience) ?? []);
    for (let start = 0; start < recipients.length; start += this.batchSize) {
      await publishBatch(this.events, request.eventId, content, recipients.slice(start, start + this.batchSize), true);
    }
    this.logger.log({ relayId, orgId, asked: request.supporterIds.length, recipients: recipients.length }, 'resend fanned out');
    return { kind: 'handled' };
  }
}
