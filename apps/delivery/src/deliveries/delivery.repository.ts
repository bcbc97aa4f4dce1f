import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { deliveryChannelSchema, type DeliveryChannel, type RelayContent } from '@clarion/contracts';
import { duplicateIndexes } from '@clarion/persistence';
import type { LedgerUpdate } from './delivery-outcome';
import { DeliveryPass } from './delivery-pass.schema';
import { Delivery, OPEN_STATES, type DeliveryState } from './delivery.schema';

/** One supporter on one channel of a batch. */
export interface Target {
  supporterId: string;
  channel: DeliveryChannel;
}

/** A delivery still to send. */
export interface OpenDelivery extends Target {
  deliveryId: string;
  /** The ledger has no record of it yet: settling inserts one. */
  unrecorded?: boolean;
}

/** What a pass found to send; `passId` marks it in flight until it is settled. */
export interface Claim {
  open: OpenDelivery[];
  /** Failed records a resend sends again, no longer counted as failed. */
  reopened: ChannelCounts;
  passId?: string;
}

/** A delivery and how this pass ends it. */
export interface SettledDelivery {
  delivery: OpenDelivery;
  update: LedgerUpdate;
}

/** A record whose attempts ran out: what "resend failed" asks for again. */
export interface FailedDelivery {
  _id: Types.ObjectId;
  relayId: string;
  orgId: string;
  supporterId: string;
  attempts: number;
}

/** A failed record as the organisation's failures list shows it. */
export interface FailureRecord {
  _id: Types.ObjectId;
  supporterId: string;
  channel: DeliveryChannel;
  attempts: number;
  lastError?: string;
  failedAt?: Date;
}

/** A supporter's record, as their data export shows it. */
export interface SupporterRecord {
  _id: Types.ObjectId;
  relayId: string;
  alertId: string;
  channel: DeliveryChannel;
  state: DeliveryState;
  attempts: number;
  sentAt?: Date;
}

export type ChannelCounts = Partial<Record<DeliveryChannel, number>>;

/** `followUp`: the records are a follow-up's, and relayId is its ledger key (`<relayId>:<followUp>`). */
export type RelayRef = Pick<RelayContent, 'relayId' | 'alertId' | 'orgId'> & { followUp?: string };

/** The most ids one query names: FerretDB looks up an `_id: { $in }` of up to 1,000 through its _id index. */
const IDS_PER_QUERY = 1_000;

/**
 * A delivery's id follows from what it is — relay, supporter, channel — so a
 * redelivered batch names the same records, and every ledger query of a batch
 * is an `_id` lookup (the one kind of query the embedded FerretDB answers
 * from an index; see docs/decisions/0012).
 */
export function deliveryIdOf(relayId: string, { supporterId, channel }: Target): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`${relayId}\n${supporterId}\n${channel}`).digest().subarray(0, 12));
}

/**
 * The ledger, in bulk: a batch pass costs one read, one insert of its
 * outcomes (one write per delivery: on the embedded FerretDB an update costs
 * about five inserts), and an update per distinct outcome only for what an
 * earlier pass recorded; never a round trip per recipient. Every query names the relay,
 * which belongs to one organisation.
 */
@Injectable()
export class DeliveryRepository implements OnModuleInit {
  constructor(
    @InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>,
    @InjectModel(DeliveryPass.name) private readonly passes: Model<DeliveryPass>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.deliveries.init(), this.passes.init()]);
  }

  /** Whom an email delivery went to, for a provider's report on it; undefined for an unknown id, a push delivery or an erased supporter. */
  async emailRecipient(deliveryId: string): Promise<{ orgId: string; supporterId: string } | undefined> {
    const record = await this.deliveries
      .findOne({ _id: new Types.ObjectId(deliveryId), channel: 'email' }, { orgId: 1, supporterId: 1 })
      .lean<{ orgId: string; supporterId?: string }>();
    return record?.supporterId ? { orgId: record.orgId, supporterId: record.supporterId } : undefined;
  }

  /**
   * The batch's targets still to send: those with no record yet, and those an
   * earlier pass left open (with `reopenFailed`, a resend batch, failed ones
   * too). Nothing is recorded per delivery until its outcome is known
   * (settle): one write per delivery, not two. The pass is marked in flight,
   * so a follow-up waits for it.
   */
  async claim(relay: RelayRef, targets: Target[], reopenFailed = false): Promise<Claim> {
    const { relayId } = relay;
    const ids = targets.map((target) => deliveryIdOf(relayId, target));
    const states = await this.recordedStates(relayId, ids);
    const sendable: readonly DeliveryState[] = reopenFailed ? [...OPEN_STATES, 'failed'] : OPEN_STATES;
    const open: OpenDelivery[] = [];
    const reopened: ChannelCounts = {};
    targets.forEach(({ supporterId, channel }, index) => {
      const deliveryId = ids[index].toHexString();
      const state = states.get(deliveryId);
      if (state === undefined) return open.push({ deliveryId, supporterId, channel, unrecorded: true });
      if (!sendable.includes(state)) return;
      if (state === 'failed') reopened[channel] = (reopened[channel] ?? 0) + 1;
      open.push({ deliveryId, supporterId, channel });
    });
    if (open.length === 0) return { open, reopened };
    const pass = await this.passes.create({ relayId, alertId: relay.alertId, deliveryIds: open.map((delivery) => delivery.deliveryId) });
    return { open, reopened, passId: pass._id.toHexString() };
  }

  /** The ledger state of each target's record on this relay (by delivery id); a delivery a pass is sending counts as queued. */
  async statesOf(relayId: string, targets: Target[]): Promise<Map<string, DeliveryState>> {
    const states = await this.recordedStates(
      relayId,
      targets.map((target) => deliveryIdOf(relayId, target)),
    );
    if (states.size === targets.length) return states;
    const passes = await this.passes.find({ relayId }, { deliveryIds: 1 }).lean<{ deliveryIds: string[] }[]>().exec();
    for (const { deliveryIds } of passes) for (const id of deliveryIds) if (!states.has(id)) states.set(id, 'queued');
    return states;
  }

  private async recordedStates(relayId: string, ids: Types.ObjectId[]): Promise<Map<string, DeliveryState>> {
    const states = new Map<string, DeliveryState>();
    for (const chunk of chunks(ids, IDS_PER_QUERY)) {
      const found = await this.deliveries.find({ _id: { $in: chunk }, relayId }, { state: 1 }).lean<{ _id: Types.ObjectId; state: DeliveryState }[]>().exec();
      for (const { _id, state } of found) states.set(_id.toHexString(), state);
    }
    return states;
  }

  /** The failed records of an alert's relays, or of one organisation's. */
  failed(alertId: string, orgId?: string): Promise<FailedDelivery[]> {
    return this.deliveries
      // An erased supporter's records name nobody, and are never sent again.
      // A follow-up that failed is not resent: it would only be later news about an alert already moved on.
      .find({ alertId, ...(orgId ? { orgId } : {}), state: 'failed', supporterId: { $exists: true }, followUp: { $exists: false } }, { relayId: 1, orgId: 1, supporterId: 1, attempts: 1 })
      .sort({ _id: 1 })
      .lean<FailedDelivery[]>()
      .exec();
  }

  /** One organisation's failed records of an alert, oldest first, at most `limit`, with why and when. */
  failures(alertId: string, orgId: string, limit: number): Promise<FailureRecord[]> {
    return this.deliveries
      .find({ alertId, orgId, state: 'failed', supporterId: { $exists: true } }, { supporterId: 1, channel: 1, attempts: 1, lastError: 1, failedAt: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<FailureRecord[]>()
      .exec();
  }

  /** One supporter's records on these relays (their organisation's), found by their derived ids. */
  async ofSupporter(relayIds: string[], supporterId: string): Promise<SupporterRecord[]> {
    const found: SupporterRecord[] = [];
    for (const ids of chunks(this.idsOfSupporter(relayIds, supporterId), IDS_PER_QUERY)) {
      found.push(
        ...(await this.deliveries
          .find({ _id: { $in: ids }, supporterId }, { relayId: 1, alertId: 1, channel: 1, state: 1, attempts: 1, sentAt: 1 })
          .lean<SupporterRecord[]>()
          .exec()),
      );
    }
    return found.sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString()));
  }

  /**
   * An erased supporter's records keep what they count (relay, channel,
   * state, attempts) and lose who they were about: the supporter's id and the
   * provider's last message, which may quote the address. Returns how many.
   */
  async pseudonymise(relayIds: string[], supporterId: string): Promise<number> {
    let changed = 0;
    for (const ids of chunks(this.idsOfSupporter(relayIds, supporterId), IDS_PER_QUERY)) {
      const result = await this.deliveries.updateMany({ _id: { $in: ids }, supporterId }, { $unset: { supporterId: 1, lastError: 1 } }).exec();
      changed += result.modifiedCount;
    }
    // Follow-ups' keys are not known here; they are few next to the originals, and an erasure is rare enough for a scan.
    const followUps = await this.deliveries
      .updateMany({ supporterId, followUp: { $exists: true }, relayId: { $in: relayIds.map((relayId) => new RegExp(`^${relayId}:`)) } }, { $unset: { supporterId: 1, lastError: 1 } })
      .exec();
    return changed + followUps.modifiedCount;
  }

  private idsOfSupporter(relayIds: string[], supporterId: string): Types.ObjectId[] {
    return relayIds.flatMap((relayId) => deliveryChannelSchema.options.map((channel) => deliveryIdOf(relayId, { supporterId, channel })));
  }

  /** Records targets that arrived after their relay was cancelled or expired, closed; closes those an earlier delivery left open. */
  async recordClosed(relay: RelayRef, targets: Target[], state: Extract<DeliveryState, 'cancelled' | 'expired'>): Promise<void> {
    const now = new Date();
    const records = targets.map((target) => {
      const deliveryId = deliveryIdOf(relay.relayId, target).toHexString();
      return this.recordOf(relay, { deliveryId, ...target }, { deliveryId, state, attempted: false }, now);
    });
    const existing = await this.insertNew(records);
    await this.closeOpen(relay.relayId, records.filter((_, index) => existing.has(index)).map((record) => record._id.toHexString()), state);
  }

  /**
   * Writes a pass's outcomes: a delivery with no record yet is inserted with
   * its outcome, in one insert for the pass; a recorded one is updated, one
   * update per distinct outcome. A record that was sent, refused or gone says
   * so even if the relay was cancelled meanwhile; a retry, failure or
   * cancellation never reopens or overrides a record something else closed.
   * Then the pass's in-flight marker goes.
   */
  async settle(relay: RelayRef, outcomes: SettledDelivery[], passId?: string): Promise<void> {
    const now = new Date();
    const unrecorded = outcomes.filter(({ delivery }) => delivery.unrecorded);
    // Another pass of the same batch may have recorded some meanwhile: those are updated like any recorded one.
    const recordedMeanwhile = await this.insertNew(unrecorded.map(({ delivery, update }) => this.recordOf(relay, delivery, update, now)));
    const updates = [
      ...outcomes.filter(({ delivery }) => !delivery.unrecorded).map(({ update }) => update),
      ...unrecorded.filter((_, index) => recordedMeanwhile.has(index)).map(({ update }) => update),
    ];
    for (const group of groupByOutcome(updates)) {
      const { state, attempted, lastError } = group[0];
      const onlyIfOpen = state === 'retry' || state === 'failed' || state === 'cancelled' ? { state: { $in: OPEN_STATES } } : {};
      const $set = { state, ...(lastError !== undefined ? { lastError } : {}), ...outcomeTimes(state, now) };
      for (const ids of chunks(group.map((update) => new Types.ObjectId(update.deliveryId)), IDS_PER_QUERY)) {
        await this.deliveries.updateMany({ _id: { $in: ids }, relayId: relay.relayId, ...onlyIfOpen }, { $set, ...(attempted ? { $inc: { attempts: 1 } } : {}) }).exec();
      }
    }
    if (passId) await this.passes.deleteOne({ _id: new Types.ObjectId(passId) }).exec();
  }

  /** Closes these records where they are still open. */
  async closeOpen(relayId: string, deliveryIds: string[], state: Extract<DeliveryState, 'cancelled' | 'expired'>): Promise<void> {
    for (const ids of chunks(deliveryIds.map((id) => new Types.ObjectId(id)), IDS_PER_QUERY)) {
      await this.deliveries.updateMany({ _id: { $in: ids }, relayId, state: { $in: OPEN_STATES } }, { $set: { state } }).exec();
    }
  }

  /** Every open record of a cancelled relay; returns how many. */
  async cancelRelay(relayId: string): Promise<number> {
    const result = await this.deliveries.updateMany({ relayId, state: { $in: OPEN_STATES } }, { $set: { state: 'cancelled' } }).exec();
    return result.modifiedCount;
  }

  /** A delivery's ledger record as it ends a pass (or is closed unsent). */
  private recordOf({ relayId, alertId, orgId, followUp }: RelayRef, { deliveryId, supporterId, channel }: OpenDelivery, update: LedgerUpdate, now: Date) {
    return {
      _id: new Types.ObjectId(deliveryId),
      relayId,
      alertId,
      orgId,
      supporterId,
      channel,
      state: update.state,
      attempts: update.attempted ? 1 : 0,
      ...(update.lastError !== undefined ? { lastError: update.lastError } : {}),
      ...outcomeTimes(update.state, now),
      ...(followUp ? { followUp } : {}),
    };
  }

  /** Inserts what is not there yet; returns the indexes of the records that already were. */
  private async insertNew(records: object[]): Promise<Set<number>> {
    if (records.length === 0) return new Set();
    try {
      // lean: the records are complete as built here, so mongoose's per-document validation and hydration are skipped.
      await this.deliveries.insertMany(records, { ordered: false, lean: true });
      return new Set();
    } catch (error) {
      return duplicateIndexes(error);
    }
  }
}

/** Updates that write the same thing, together: nearly all of a pass is "sent". */
function groupByOutcome(updates: LedgerUpdate[]): LedgerUpdate[][] {
  const groups = new Map<string, LedgerUpdate[]>();
  for (const update of updates) {
    const key = JSON.stringify([update.state, update.attempted, update.lastError ?? null]);
    const group = groups.get(key);
    if (group) group.push(update);
    else groups.set(key, [update]);
  }
  return [...groups.values()];
}

function outcomeTimes(state: DeliveryState, now: Date): { sentAt?: Date; failedAt?: Date } {
  if (state === 'sent') return { sentAt: now };
  if (state === 'failed') return { failedAt: now };
  return {};
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
