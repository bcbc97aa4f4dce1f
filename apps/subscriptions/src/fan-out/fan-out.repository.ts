import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { isDuplicateKey } from '../common/stored';
import { FanOut, type FanOutRecord } from './fan-out.schema';

/** Checkpoints are the organisation's (one per relay of it): every query names both. */
@Injectable()
export class FanOutRepository implements OnModuleInit {
  constructor(@InjectModel(FanOut.name) private readonly fanOuts: Model<FanOut>) {}

  /** The unique relayId index must exist before the first fan-out, so two workers share one checkpoint. */
  async onModuleInit(): Promise<void> {
    await this.fanOuts.init();
  }

  /** The relay's checkpoint, created empty on its first fan-out. */
  async begin(orgId: string, relayId: string, alertVersion: number): Promise<FanOutRecord> {
    try {
      return await this.upsertEmpty(orgId, relayId, alertVersion);
    } catch (error) {
      // A second worker created it at the same moment; it is there now.
      if (!isDuplicateKey(error)) throw error;
      return this.upsertEmpty(orgId, relayId, alertVersion);
    }
  }

  /** A checkpoint as it is, if that fan-out ever began. */
  find(orgId: string, relayId: string): Promise<FanOutRecord | null> {
    return this.fanOuts.findOne({ orgId, relayId }).lean<FanOutRecord>().exec();
  }

  private upsertEmpty(orgId: string, relayId: string, alertVersion: number): Promise<FanOutRecord> {
    return this.fanOuts
      .findOneAndUpdate(
        { orgId, relayId },
        { $setOnInsert: { orgId, relayId, batches: 0, recipients: 0, done: false, alertVersion } },
        { upsert: true, new: true },
      )
      .lean<FanOutRecord>()
      .orFail()
      .exec();
  }

  /**
   * Records one more stored batch, only if the checkpoint is still where
   * this worker left it (its batch count): when a second worker got ahead,
   * this one learns it here (null) and stops.
   */
  advance(checkpoint: FanOutRecord, lastSupporterId: string, recipients: number): Promise<FanOutRecord | null> {
    const { orgId, relayId, batches } = checkpoint;
    return this.fanOuts
      .findOneAndUpdate(
        { orgId, relayId, batches, done: false },
        { $set: { lastSupporterId: new Types.ObjectId(lastSupporterId), batches: batches + 1, recipients: checkpoint.recipients + recipients } },
        { new: true },
      )
      .lean<FanOutRecord>()
      .exec();
  }

  async finish(checkpoint: FanOutRecord): Promise<boolean> {
    const { orgId, relayId, batches } = checkpoint;
    const result = await this.fanOuts.updateOne({ orgId, relayId, batches, done: false }, { $set: { done: true } }).exec();
    return result.modifiedCount > 0;
  }
}
