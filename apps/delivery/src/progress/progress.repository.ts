import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { deliveryChannelSchema, type DeliveryChannel, type RelayContent } from '@clarion/contracts';
import { isDuplicateKey } from '@clarion/persistence';
import { PROGRESS_COUNTERS, RelayProgress, type ProgressCounterName } from './progress.schema';

export type ProgressIncrements = Partial<Record<DeliveryChannel, Partial<Record<ProgressCounterName, number>>>>;

type RelayRef = Pick<RelayContent, 'relayId' | 'alertId' | 'orgId' | 'coalitionId' | 'ctaUrl'>;

/** Bound on a list answer; an organisation's relays are listed newest first. */
const LIST_LIMIT = 500;

@Injectable()
export class ProgressRepository implements OnModuleInit {
  constructor(@InjectModel(RelayProgress.name) private readonly progress: Model<RelayProgress>) {}

  async onModuleInit(): Promise<void> {
    await this.progress.init();
  }

  /**
   * One atomic `$inc` per batch. Every counter of every channel is incremented,
   * by zero where nothing changed, so a new document has them all.
   */
  async add(relay: RelayRef, increments: ProgressIncrements): Promise<RelayProgress> {
    const $inc: Record<string, number> = { clicked: 0, version: 1 };
    for (const channel of deliveryChannelSchema.options) {
      for (const counter of PROGRESS_COUNTERS) $inc[`channels.${channel}.${counter}`] = increments[channel]?.[counter] ?? 0;
    }
    const { relayId, alertId, orgId, coalitionId, ctaUrl } = relay;
    const upsert = () =>
      this.progress
        .findOneAndUpdate(
          { relayId },
          { $inc, $set: { ctaUrl, updatedAt: new Date() }, $setOnInsert: { alertId, orgId, coalitionId } },
          { upsert: true, new: true },
        )
        .lean<RelayProgress>()
        .orFail()
        .exec();
    try {
      return await upsert();
    } catch (error) {
      // Two workers creating the same relay's document at once: one wins, the other's retry finds it.
      if (!isDuplicateKey(error)) throw error;
      return upsert();
    }
  }

  forAlert(alertId: string): Promise<RelayProgress[]> {
    return this.progress.find({ alertId }).sort({ updatedAt: -1 }).limit(LIST_LIMIT).lean<RelayProgress[]>().exec();
  }

  forOrg(orgId: string): Promise<RelayProgress[]> {
    return this.progress.find({ orgId }).sort({ updatedAt: -1 }).limit(LIST_LIMIT).lean<RelayProgress[]>().exec();
  }

  /** The relay's call-to-action URL, or null for a relay this service never sent. */
  /** The relay's counters after the click, or null for an unknown relay. */
  /** Every relay of the organisation this service has counted (every relay it has a ledger record of). */
  async relayIdsOf(orgId: string): Promise<string[]> {
    const found = await this.progress.find({ orgId }, { relayId: 1 }).lean<Pick<RelayProgress, 'relayId'>[]>().exec();
    return found.map(({ relayId }) => relayId);
  }

  countClick(relayId: string): Promise<RelayProgress | null> {
    // No projection: FerretDB does not implement one on findAndModify.
    return this.progress.findOneAndUpdate({ relayId }, { $inc: { clicked: 1, version: 1 }, $set: { updatedAt: new Date() } }, { new: true }).lean<RelayProgress>().exec();
  }
}
