import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChannelName, ContactOf } from '@clarion/channels';
import type { DeliveryBatch, DeliveryChannel, FollowUp, Recipient, RelayContent } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { deliveries, deliveriesTargeted } from '@clarion/observability';
import type { SendFact, SendOutcome } from '../channels/channel';
import { CHANNEL_SENDERS, type ChannelSenders } from '../channels/channel-senders';
import { errorMessage } from '../common/error-message';
import { afterAttempt, progressCounter } from '../deliveries/delivery-outcome';
import { deliveryIdOf, DeliveryRepository, type ChannelCounts, type OpenDelivery, type RelayRef, type SettledDelivery, type Target } from '../deliveries/delivery.repository';
import type { ProgressIncrements } from '../progress/progress.repository';
import { ProgressService } from '../progress/progress.service';
import { RelayStateRepository } from '../relays/relay-state.repository';
import { SenderIdentityCache } from '../sender-identity/sender-identity.cache';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import { BatchSender, type Attempt } from './batch-sender';
import { batchTargets } from './batch-targets';

/** However long a push service asks us to wait, a batch comes back within five minutes (and at most maxDeliver times). */
const MAX_RETRY_DELAY_MS = 5 * 60_000;
/**
 * Once messages are out, their outcomes must reach the ledger, or the batch
 * comes back and sends them again: the write is tried again this long (well
 * inside the consumer's ack wait, which its heartbeat keeps extending) while
 * the database is away.
 */
const SETTLE_PATIENCE_MS = 60_000;
const SETTLE_RETRY_MS = 1_000;

/**
 * The consumer's hold on one pass: `signal` is aborted once the pass has
 * outlived BATCH_PASS_DEADLINE_MS and its batch has gone back to the queue;
 * `step` names what the pass is doing, for the log line if that happens.
 */
export interface PassControl {
  signal: AbortSignal;
  step(doing: string): void;
}

const UNBOUNDED_PASS: PassControl = { signal: new AbortController().signal, step: () => undefined };

/**
 * One pass over a delivery batch: find which targets the ledger has no
 * record of or still holds open, send those, write the outcomes as their
 * records. A redelivered or republished batch finds its sent records closed
 * and sends only what is left, so nobody gets the same alert twice on a
 * channel.
 */
@Injectable()
export class BatchService {
  private readonly logger = new Logger(BatchService.name);

  constructor(
    private readonly ledger: DeliveryRepository,
    private readonly relayStates: RelayStateRepository,
    private readonly identities: SenderIdentityCache,
    private readonly sender: BatchSender,
    @Inject(CHANNEL_SENDERS) private readonly senders: ChannelSenders,
    private readonly progress: ProgressService,
  ) {}

  /** `lastAttempt`: JetStream will not deliver this batch again, so nothing may stay open. */
  async deliver(batch: DeliveryBatch, lastAttempt: boolean, pass: PassControl = UNBOUNDED_PASS): Promise<ConsumerOutcome> {
    const { relay } = batch;
    const targets = batchTargets(batch);
    if (targets.length === 0) return { kind: 'skipped', reason: "no recipient is reachable on the relay's channels" };
    if (batch.followUp) return this.deliverFollowUp(batch, batch.followUp, targets, lastAttempt, pass);

    pass.step('checking whether the relay is closed');
    const closed = await this.closedReason(relay);
    if (closed) {
      await this.ledger.recordClosed(relay, targets, closed);
      return { kind: 'skipped', reason: `relay ${closed}` };
    }

    pass.step('claiming the batch in the ledger');
    const { reopened, open, passId } = await this.ledger.claim(relay, targets, batch.resend === true);
    const { settled, outcome } = await this.sendOpen(batch, open, lastAttempt, relay, pass, passId);
    // Targeted once the ledger has the record: a pass cut short records nothing, and its redelivery counts them.
    const inserted = newlyRecorded(settled);
    for (const [channel, count] of Object.entries(inserted)) if (count) deliveriesTargeted.inc({ channel }, count);
    countSettled(settled);
    pass.step('counting progress');
    await this.progress.record(relay, progressIncrements(inserted, reopened, settled));
    return outcome;
  }

  /**
   * An update or retraction (docs/decisions/0028): only to targets whose
   * original the ledger records as sent, under a ledger of its own
   * (`<relayId>:<followUp>`), so it too goes out at most once beyond a crash's
   * in-flight few. Targets whose original is still open are waited for (the
   * batch comes back); those never reached get nothing. Not counted in the
   * relay's progress, which is about the original.
   */
  private async deliverFollowUp(batch: DeliveryBatch, followUp: FollowUp, targets: Target[], lastAttempt: boolean, pass: PassControl): Promise<ConsumerOutcome> {
    const { relay } = batch;
    pass.step('reading the originals in the ledger');
    if (relay.expiresAt && Date.parse(relay.expiresAt) <= Date.now()) return { kind: 'skipped', reason: 'alert expired' };
    // A cancelled relay's last word is its retraction, not an update.
    if (followUp.kind === 'update' && (await this.relayStates.isCancelled(relay.relayId))) return { kind: 'skipped', reason: 'relay cancelled' };

    const originals = await this.ledger.statesOf(relay.relayId, targets);
    const reached: Target[] = [];
    let inFlight = 0;
    for (const target of targets) {
      const state = originals.get(deliveryIdOf(relay.relayId, target).toHexString());
      if (state === 'sent') reached.push(target);
      else if (state === 'queued' || state === 'retry') inFlight++;
    }
    const key = followUp.kind === 'update' ? `update-v${relay.alertVersion}` : 'retraction';
    const ledgerRelay = { relayId: `${relay.relayId}:${key}`, alertId: relay.alertId, orgId: relay.orgId, followUp: key };
    let outcome: ConsumerOutcome = { kind: 'skipped', reason: 'no recipient of the batch was reached by the original' };
    if (reached.length > 0) {
      pass.step('claiming the follow-up in the ledger');
      const { open, passId } = await this.ledger.claim(ledgerRelay, reached);
      outcome = (await this.sendOpen(batch, open, lastAttempt, ledgerRelay, pass, passId)).outcome;
    }
    if (inFlight > 0 && !lastAttempt && outcome.kind !== 'retry') return { kind: 'retry', reason: `${inFlight} originals of the batch still in flight` };
    return outcome;
  }

  private async sendOpen(
    batch: DeliveryBatch,
    open: OpenDelivery[],
    lastAttempt: boolean,
    ledgerRelay: RelayRef,
    pass: PassControl,
    passId?: string,
  ): Promise<{ settled: SettledDelivery[]; outcome: ConsumerOutcome }> {
    const { relay } = batch;
    if (open.length === 0) return { settled: [], outcome: { kind: 'skipped', reason: 'every delivery of the batch is already closed' } };
    // Abandoned while claiming: the batch is back in the queue, and its next pass sends these.
    if (pass.signal.aborted) throw new Error('pass abandoned at its deadline before sending');

    pass.step('reading the sender identity');
    let identity: SenderIdentity;
    try {
      identity = await this.identities.get(relay.orgId);
    } catch (error) {
      const reason = `no sender identity for the organisation: ${errorMessage(error)}`;
      const settled = lastAttempt ? open.map((delivery) => failedUnsent(delivery, reason)) : [];
      await this.ledger.settle(ledgerRelay, settled, passId);
      return { settled, outcome: { kind: 'retry', reason } };
    }

    // Checked again right before sending: the relay may have been cancelled while the batch waited.
    pass.step('checking for a cancellation before sending');
    if (batch.followUp?.kind !== 'retraction' && (await this.relayStates.isCancelled(relay.relayId))) {
      const settled = open.map(cancelledUnsent);
      await this.ledger.settle(ledgerRelay, settled, passId);
      return { settled, outcome: { kind: 'skipped', reason: 'relay cancelled' } };
    }

    pass.step('sending');
    const report = await this.sender.send(batch, identity, open, pass.signal);
    const settled: SettledDelivery[] = [
      ...report.attempts.map(({ delivery, outcome }) => ({ delivery, update: afterAttempt(delivery.deliveryId, outcome, lastAttempt) })),
      ...report.cancelled.map(cancelledUnsent),
    ];
    pass.step('writing the outcomes to the ledger');
    await this.settleSent(ledgerRelay, settled, passId);
    pass.step('reporting provider feedback');
    await this.reportFeedback(batch, report.attempts);
    this.logger.log({ relayId: relay.relayId, ...countStates(settled) }, 'batch pass done');
    return { settled, outcome: retryOutcome(report.attempts, open.length) };
  }

  private async settleSent(relay: RelayRef, settled: SettledDelivery[], passId?: string): Promise<void> {
    const { relayId } = relay;
    const giveUpAt = Date.now() + SETTLE_PATIENCE_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ledger.settle(relay, settled, passId);
        return;
      } catch (error) {
        if (Date.now() + SETTLE_RETRY_MS > giveUpAt) throw error;
        this.logger.warn({ relayId, attempt, err: errorMessage(error) }, 'ledger write after sending failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, SETTLE_RETRY_MS));
      }
    }
  }

  private async closedReason(relay: RelayContent): Promise<'cancelled' | 'expired' | undefined> {
    if (await this.relayStates.isCancelled(relay.relayId)) return 'cancelled';
    if (relay.expiresAt && Date.parse(relay.expiresAt) <= Date.now()) return 'expired';
    return undefined;
  }

  /** Only after the ledger write: a feedback event must never stand for a delivery the ledger could still send. */
  private async reportFeedback(batch: DeliveryBatch, attempts: Attempt[]): Promise<void> {
    const { orgId } = batch.relay;
    const recipients = new Map(batch.recipients.map((recipient) => [recipient.supporterId, recipient]));
    await Promise.all(attempts.map(({ delivery, outcome }) => this.report(delivery.channel, outcome, { orgId, supporterId: delivery.supporterId, deliveryId: delivery.deliveryId }, recipients.get(delivery.supporterId))));
  }

  private async report<C extends ChannelName>(channel: C, outcome: SendOutcome, fact: SendFact, recipient: Recipient | undefined): Promise<void> {
    const contact = recipient?.contacts[channel];
    if (outcome.kind === 'sent' || outcome.kind === 'retry' || contact === undefined) return;
    await this.senders[channel].report(outcome, fact, contact as ContactOf<C>);
  }
}

/** Counted once the ledger holds them, with the ledger's own states: the metric and the ledger agree. */
function countSettled(settled: SettledDelivery[]): void {
  for (const { delivery, update } of settled) deliveries.inc({ channel: delivery.channel, outcome: update.state });
}

function failedUnsent(delivery: OpenDelivery, reason: string): SettledDelivery {
  return { delivery, update: { deliveryId: delivery.deliveryId, state: 'failed', attempted: false, lastError: reason } };
}

function cancelledUnsent(delivery: OpenDelivery): SettledDelivery {
  return { delivery, update: { deliveryId: delivery.deliveryId, state: 'cancelled', attempted: false } };
}

/** Per channel, the deliveries this pass gave their first record. */
function newlyRecorded(settled: SettledDelivery[]): ChannelCounts {
  const counts: ChannelCounts = {};
  for (const { delivery } of settled) if (delivery.unrecorded) counts[delivery.channel] = (counts[delivery.channel] ?? 0) + 1;
  return counts;
}

/** Redeliver the batch when a send is worth retrying, after the longest wait a provider asked for. */
function retryOutcome(attempts: Attempt[], openCount: number): ConsumerOutcome {
  const retries = attempts.flatMap(({ outcome }) => (outcome.kind === 'retry' ? [outcome] : []));
  if (retries.length === 0) return { kind: 'handled' };
  const asked = Math.max(0, ...retries.map((retry) => retry.retryAfterMs ?? 0));
  return {
    kind: 'retry',
    reason: `${retries.length} of ${openCount} deliveries to retry, e.g. ${retries[0].reason}`,
    delayMs: asked > 0 ? Math.min(asked, MAX_RETRY_DELAY_MS) : undefined,
  };
}

/** `reopened`: failed deliveries a resend opened again, no longer counted as failed. */
function progressIncrements(inserted: ChannelCounts, reopened: ChannelCounts, settled: SettledDelivery[]): ProgressIncrements {
  const increments: ProgressIncrements = {};
  const add = (channel: DeliveryChannel, counter: keyof NonNullable<ProgressIncrements[DeliveryChannel]>) => {
    const counts = (increments[channel] ??= {});
    counts[counter] = (counts[counter] ?? 0) + 1;
  };
  for (const [channel, count] of Object.entries(inserted) as [DeliveryChannel, number][]) (increments[channel] ??= {}).targeted = count;
  for (const [channel, count] of Object.entries(reopened) as [DeliveryChannel, number][]) (increments[channel] ??= {}).failed = -count;
  for (const { delivery, update } of settled) {
    const counter = progressCounter(update);
    if (counter) add(delivery.channel, counter);
  }
  return increments;
}

function countStates(settled: SettledDelivery[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { update } of settled) counts[update.state] = (counts[update.state] ?? 0) + 1;
  return counts;
}
