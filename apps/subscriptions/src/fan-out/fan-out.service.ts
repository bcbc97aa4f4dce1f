import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import type { AlertSnapshot, EventPayload, eventSubjects, FollowUp, Recipient, RelayContent } from '@clarion/contracts';
import { EventPublisher, type ConsumerOutcome } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { AlertSnapshotRepository } from '../alert-snapshots/alert-snapshot.repository';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { relayContent, type RelayApproved } from '../relays/relay-content';
import { RelayRepository } from '../relays/relay.repository';
import { SupporterRepository } from '../supporters/supporter.repository';
import { recipientFor, type Audience } from './audience';
import { publishBatch } from './delivery-batches';
import { FanOutRepository } from './fan-out.repository';
import type { FanOutRecord } from './fan-out.schema';

type ResendRequested = EventPayload<typeof eventSubjects.resendRequested>;

/**
 * An approved relay becomes batches of recipients on DELIVERY_BATCHES. The
 * organisation's supporters stream from a cursor in _id order; each batch is
 * published (and stored by JetStream) before the checkpoint moves past it, so
 * a fan-out cut short resumes after its last checkpointed batch. Batch ids are
 * `relay:<relayId>:from:<first supporterId>`, and each batch has a subject of
 * its own: the batch stored just before a crash, published again on resume,
 * is refused by the stream however long the fan-out was down.
 */
@Injectable()
export class FanOutService {
  private readonly logger = new Logger(FanOutService.name);
  private readonly batchSize: number;

  constructor(
    private readonly relays: RelayRepository,
    private readonly snapshots: AlertSnapshotRepository,
    private readonly organisations: OrganisationRepository,
    private readonly supporters: SupporterRepository,
    private readonly fanOuts: FanOutRepository,
    private readonly events: EventPublisher,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.batchSize = config.FAN_OUT_BATCH_SIZE;
  }

  async fanOut(approved: RelayApproved): Promise<ConsumerOutcome> {
    const started = Date.now();
    const { orgId, relayId } = approved;
    const relay = await this.relays.findInOrg(orgId, relayId);
    if (!relay) return { kind: 'skipped', reason: 'unknown relay' };
    if (relay.status === 'cancelled') return { kind: 'skipped', reason: 'relay cancelled' };
    const alert = await this.snapshots.find(approved.alertId);
    // Alert and relay facts come through different streams: the approval can overtake the alert it relays.
    if (!alert || alert.version < approved.alertVersion) return { kind: 'retry', reason: `alert version ${approved.alertVersion} not stored yet` };
    if (alert.expiresAt && Date.parse(alert.expiresAt) <= Date.now()) return { kind: 'skipped', reason: 'alert expired' };
    const org = await this.organisations.findById(orgId);
    if (!org) return { kind: 'skipped', reason: 'unknown organisation' };
    if (approved.channels.length === 0) return { kind: 'skipped', reason: 'relay uses no channel' };

    const start = await this.fanOuts.begin(orgId, relayId, alert.version);
    if (start.done) return { kind: 'skipped', reason: 'relay already fanned out' };
    const end = await this.stream(relayContent(approved, alert, org), { channels: approved.channels, alertTopics: alert.topics }, start, { prefix: `relay:${relayId}` });
    if (!end) return { kind: 'skipped', reason: 'another worker got ahead on this relay' };
    this.logger.log({ relayId, orgId, batches: end.batches, recipients: end.recipients, resumed: start.batches > 0, ms: Date.now() - started }, 'fan-out done');
    return { kind: 'handled' };
  }

  /**
   * Delivery's "resend failed": the named supporters of an approved relay, as
   * batches marked `resend`, with the alert's newest version and each
   * supporter's consent as it is now (someone who unsubscribed meanwhile gets
   * nothing). No checkpoint: a request is at most a few batches, and a request
   * handled again publishes the same batch ids, which the stream refuses.
   */
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
      await publishBatch(this.events, request.eventId, content, recipients.slice(start, start + this.batchSize), { resend: true });
    }
    this.logger.log({ relayId, orgId, asked: request.supporterIds.length, recipients: recipients.length }, 'resend fanned out');
    return { kind: 'handled' };
  }

  /**
   * A follow-up (update or retraction) of a relay whose original went out: the
   * same streaming and checkpoints as the original, under a checkpoint and
   * batch ids of its own (`<relayId>:<key>`), with the relay's own intro and
   * call to action carried over. Batches go to the organisation's whole
   * audience on the relay's channels, as consent stands now; delivery sends
   * only to those its ledger says the original reached (docs/decisions/0028).
   */
  async followUp(relay: Parameters<typeof relayContent>[0], alert: AlertSnapshot, key: string, followUp: FollowUp): Promise<FanOutRecord | null> {
    const org = await this.organisations.findById(relay.orgId);
    if (!org) return null;
    const checkpointKey = `${relay.relayId}:${key}`;
    const start = await this.fanOuts.begin(relay.orgId, checkpointKey, alert.version);
    if (start.done) return start;
    // Topics may have changed with the correction; whoever the original reached is told, so no topic filter here.
    const audience = { channels: relay.channels, alertTopics: [] };
    return this.stream(relayContent(relay, alert, org), audience, start, { prefix: `relay:${checkpointKey}`, followUp });
  }

  /** The finished checkpoint, or null when another worker moved it first. */
  private async stream(content: RelayContent, audience: Audience, start: FanOutRecord, as: { prefix: string; followUp?: FollowUp }): Promise<FanOutRecord | null> {
    let checkpoint: FanOutRecord | null = start;
    let batch: Recipient[] = [];
    for await (const member of this.supporters.streamAudience(content.orgId, audience.channels, start.lastSupporterId, this.batchSize)) {
      const recipient = recipientFor(member, audience);
      if (!recipient) continue;
      batch.push(recipient);
      if (batch.length < this.batchSize) continue;
      checkpoint = await this.publish(content, batch, checkpoint, as);
      if (!checkpoint) return null;
      batch = [];
    }
    if (batch.length > 0) checkpoint = await this.publish(content, batch, checkpoint, as);
    if (!checkpoint || !(await this.fanOuts.finish(checkpoint))) return null;
    return checkpoint;
  }

  private async publish(content: RelayContent, recipients: Recipient[], checkpoint: FanOutRecord, as: { prefix: string; followUp?: FollowUp }): Promise<FanOutRecord | null> {
    await publishBatch(this.events, as.prefix, content, recipients, { followUp: as.followUp });
    return this.fanOuts.advance(checkpoint, recipients[recipients.length - 1].supporterId, recipients.length);
  }
}
