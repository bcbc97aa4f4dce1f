import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { deliveryChannelSchema, type DeliveryChannel, type RelayContent } from '@clarion/contracts';
import { duplicateIndexes } from '@clarion/persistence';
import type { LedgerUpdate } from './delivery-outcome';
import { Delivery, OPEN_STATES, type DeliveryState } from './delivery.schema';

/** One supporter on one channel of a batch. */
export interface Target {
  supporterId: string;
  channel: DeliveryChannel;
}

/** A record still to send. */
export interface OpenDelivery extends Target {
  deliveryId: string;
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
type RelayRef = Pick<RelayContent, 'relayId' | 'alertId' | 'orgId'> & { followUp?: string };

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
 * The ledger, in bulk: a batch costs one insert, and one write per distinct
 * outcome, never a round trip per recipient. Every query names the relay,
 * which belongs to one organisation.
 */
@Injectable()
export class DeliveryRepository implements OnModuleInit {
  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {}

  async onModuleInit(): Promise<void> {
    await this.deliveries.init();
  }

  /**
   * Records the batch's targets and returns those still to send: the new ones,
   * and those an earlier delivery of the batch recorded but left open. With
   * `reopenFailed` (a resend batch), failed records are opened again too.
   */
  async claim(relay: RelayRef, targets: Target[], reopenFailed = false): Promise<{ inserted: ChannelCounts; reopened: ChannelCounts; open: OpenDelivery[] }> {
    const { relayId } = relay;
    const records = this.records(relay, targets, 'queued');
    const existing = await this.insertNew(records);
    const inserted: ChannelCounts = {};
    const open: OpenDelivery[] = [];
    const again: Types.ObjectId[] = [];
    records.forEach((record, index) => {
      if (existing.has(index)) return again.push(record._id);
      inserted[record.channel] = (inserted[record.channel] ?? 0) + 1;
      open.push({ deliveryId: record._id.toHexString(), supporterId: record.supporterId, channel: record.channel });
    });
    const reopened: ChannelCounts = {};
    const sendable = reopenFailed ? [...OPEN_STATES, 'failed'] : OPEN_STATES;
    for (const ids of chunks(again, IDS_PER_QUERY)) {
      const found = await this.deliveries
        .find({ _id: { $in: ids }, relayId, state: { $in: sendable } }, { supporterId: 1, channel: 1, state: 1 })
        .lean<{ _id: Types.ObjectId; supporterId: string; channel: DeliveryChannel; state: DeliveryState }[]>()
        .exec();
      const failed = found.filter((record) => record.state === 'failed');
      if (failed.length > 0) {
        await this.deliveries.updateMany({ _id: { $in: failed.map((record) => record._id) }, relayId, state: 'failed' }, { $set: { state: 'queued' } }).exec();
        for (const { channel } of failed) reopened[channel] = (reopened[channel] ?? 0) + 1;
      }
      for (const { _id, supporterId, channel } of found) open.push({ deliveryId: _id.toHexString(), supporterId, channel });
    }
    return { inserted, reopened, open };
  }

  /** The ledger state of each target's record on this relay (by delivery id), where one exists. */
  async statesOf(relayId: string, targets: Target[]): Promise<Map<string, DeliveryState>> {
    const states = new Map<string, DeliveryState>();
    for (const ids of chunks(targets.map((target) => deliveryIdOf(relayId, target)), IDS_PER_QUERY)) {
      const found = await this.deliveries.find({ _id: { $in: ids }, relayId }, { state: 1 }).lean<{ _id: Types.ObjectId; state: DeliveryState }[]>().exec();
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
    const records = this.records(relay, targets, state);
    const existing = await this.insertNew(records);
    await this.closeOpen(relay.relayId, records.filter((_, index) => existing.has(index)).map((record) => record._id.toHexString()), state);
  }

  /**
   * Writes a pass's outcomes, one update per distinct outcome. A record that
   * was sent, refused or gone says so even if the relay was cancelled
   * meanwhile; a retry or failure never reopens a record something else closed.
   */
  async settle(relayId: string, updates: LedgerUpdate[]): Promise<void> {
    const now = new Date();
    for (const group of groupByOutcome(updates)) {
      const { state, attempted, lastError } = group[0];
      const onlyIfOpen = state === 'retry' || state === 'failed' ? { state: { $in: OPEN_STATES } } : {};
      const $set = {
        state,
        ...(lastError !== undefined ? { lastError } : {}),
        ...(state === 'sent' ? { sentAt: now } : {}),
        ...(state === 'failed' ? { failedAt: now } : {}),
      };
      for (const ids of chunks(group.map((update) => new Types.ObjectId(update.deliveryId)), IDS_PER_QUERY)) {
        await this.deliveries.updateMany({ _id: { $in: ids }, relayId, ...onlyIfOpen }, { $set, ...(attempted ? { $inc: { attempts: 1 } } : {}) }).exec();
      }
    }
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

  private records({ relayId, alertId, orgId, followUp }: RelayRef, targets: Target[], state: DeliveryState) {
    return targets.map((target) => {
      const record = { _id: deliveryIdOf(relayId, target), relayId, alertId, orgId, supporterId: target.supporterId, channel: target.channel, state, attempts: 0 };
      return followUp ? { ...record, followUp } : record;
    });
  }

  /** Inserts what is not there yet; returns the indexes of the records that already were. */
  private async insertNew(records: ReturnType<DeliveryRepository['records']>): Promise<Set<number>> {
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

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
