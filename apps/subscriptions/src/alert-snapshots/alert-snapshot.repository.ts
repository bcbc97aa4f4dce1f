import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { AlertSnapshot as AlertSnapshotContract } from '@clarion/contracts';
import { isDuplicateKey } from '../common/stored';
import { AlertSnapshot, type AlertSnapshotRecord } from './alert-snapshot.schema';

/**
 * Alerts are the coalition's, relayed by many organisations: snapshots are
 * looked up by alert id only, and carry no organisation's data.
 */
@Injectable()
export class AlertSnapshotRepository implements OnModuleInit {
  constructor(@InjectModel(AlertSnapshot.name) private readonly snapshots: Model<AlertSnapshot>) {}

  /** The unique alertId index must exist before the first write, so a stale version can never land as a second document. */
  async onModuleInit(): Promise<void> {
    await this.snapshots.init();
  }

  /**
   * Stores the snapshot unless one of the same or a newer version is there:
   * published and updated events arrive on separate consumers, in any order.
   * False when it was not newer.
   */
  async keepLatest(snapshot: AlertSnapshotContract): Promise<boolean> {
    const { alertId, version } = snapshot;
    try {
      await this.snapshots.updateOne({ alertId, version: { $lt: version } }, { $set: { alertId, version, snapshot } }, { upsert: true }).exec();
      return true;
    } catch (error) {
      // No older version matched, so the upsert tried to insert next to the newer (or same) one.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async find(alertId: string): Promise<AlertSnapshotContract | undefined> {
    const found = await this.snapshots.findOne({ alertId }).lean<AlertSnapshotRecord>().exec();
    return found?.snapshot;
  }
}
