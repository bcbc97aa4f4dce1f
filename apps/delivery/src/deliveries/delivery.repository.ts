import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type AnyBulkWriteOperation, type Model } from 'mongoose';
import type { DeliveryChannel, RelayContent } from '@clarion/contracts';
import { duplicateIndexes } from '../common/duplicate-key';
import type { LedgerUpdate } from './delivery-outcome';
import { Delivery, OPEN_STATES, type DeliveryState } from './delivery.schema';
import { bulkWriteInChunks } from '@clarion/persistence';

/** One supporter on one channel of a batch. */
export interface Target {
  supporterId: string;
  channel: DeliveryChannel;
}

/** A record still to send. */
export interface OpenDelivery extends Target {
  deliveryId: string;
}

export type ChannelCounts = Partial<Record<DeliveryChannel, number>>;

type RelayRef = Pick<RelayContent, 'relayId' | 'alertId' | 'orgId'>;

/**
 * The ledger, in bulk: a batch costs one insert, one query and one write,
 * never a round trip per recipient. Every query is scoped to one relay, which
 * belongs to one organisation.
 */
@Injectable()
export class DeliveryRepository implements OnModuleInit {
  constructor(@InjectModel(Delivery.name) private readonly deliveries: Model<Delivery>) {}

  /** The unique index must exist before the first batch, or a redelivered batch would insert twice. */
  async onModuleInit(): Promise<void> {
    await this.deliveries.init();
  }

  /** Records the batch's targets; those a previous delivery of the batch recorded are left alone. Returns the new ones per channel. */
  async insertBatch(relay: RelayRef, targets: Target[], state: Extract<DeliveryState, 'queued' | 'cancelled' | 'expired'>): Promise<ChannelCounts> {
    const { relayId, alertId, orgId } = relay;
    const records = targets.map(({ supporterId, channel }) => ({ _id: new Types.ObjectId(), relayId, alertId, orgId, supporterId, channel, state, attempts: 0 }));
    let existing = new Set<number>();
    try {
      // lean: the records are complete as built here, so mongoose's per-document validation and hydration are skipped.
      await this.deliveries.insertMany(records, { ordered: false, lean: true });
    } catch (error) {
      existing = duplicateIndexes(error);
    }
    const inserted: ChannelCounts = {};
    records.forEach((record, index) => {
      if (!existing.has(index)) inserted[record.channel] = (inserted[record.channel] ?? 0) + 1;
    });
    return inserted;
  }

  async findOpen(relayId: string, supporterIds: string[]): Promise<OpenDelivery[]> {
    const found = await this.deliveries
      .find({ relayId, supporterId: { $in: supporterIds }, state: { $in: OPEN_STATES } }, { supporterId: 1, channel: 1 })
      .lean<{ _id: Types.ObjectId; supporterId: string; channel: DeliveryChannel }[]>()
      .exec();
    return found.map(({ _id, supporterId, channel }) => ({ deliveryId: _id.toHexString(), supporterId, channel }));
  }

  /**
   * Writes a pass's outcomes at once. A record that was sent, refused or gone
   * says so even if the relay was cancelled meanwhile; a retry or failure never
   * reopens a record that something else closed.
   */
  async settle(relayId: string, updates: LedgerUpdate[]): Promise<void> {
    if (updates.length === 0) return;
    const operations: AnyBulkWriteOperation<Delivery>[] = updates.map(({ deliveryId, state, attempted, lastError, sentAt }) => ({
      updateOne: {
        filter: { _id: new Types.ObjectId(deliveryId), relayId, ...(state === 'retry' || state === 'failed' ? { state: { $in: OPEN_STATES } } : {}) },
        update: {
          $set: { state, ...(lastError !== undefined ? { lastError } : {}), ...(sentAt ? { sentAt } : {}) },
          ...(attempted ? { $inc: { attempts: 1 } } : {}),
        },
      },
    }));
    await bulkWriteInChunks((chunk) => this.deliveries.bulkWrite(chunk, { ordered: false }), operations);
  }

  /** Closes the open records of these supporters, for a batch that arrived after its relay was cancelled or expired. */
  async closeOpen(relayId: string, supporterIds: string[], state: Extract<DeliveryState, 'cancelled' | 'expired'>): Promise<void> {
    await this.deliveries.updateMany({ relayId, supporterId: { $in: supporterIds }, state: { $in: OPEN_STATES } }, { $set: { state } }).exec();
  }

  /** Every open record of a cancelled relay; returns how many. */
  async cancelRelay(relayId: string): Promise<number> {
    const result = await this.deliveries.updateMany({ relayId, state: { $in: OPEN_STATES } }, { $set: { state: 'cancelled' } }).exec();
    return result.modifiedCount;
  }
}
