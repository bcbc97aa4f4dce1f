import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Consent, type ConsentRecord } from './consent.schema';

/**
 * Append-only: consent records are evidence, so nothing updates them, and
 * only a supporter's erasure (GDPR Art. 17) deletes theirs.
 */
@Injectable()
export class ConsentRepository {
  constructor(@InjectModel(Consent.name) private readonly consents: Model<Consent>) {}

  /** One insert for them all. Lean: the records are typed and built here, and an import's thousands go in about twice as fast without hydrating each. */
  async append(records: Consent[]): Promise<void> {
    if (records.length === 0) return;
    await this.consents.insertMany(records, { ordered: false, lean: true });
  }

  /** Erasure: every record of this supporter goes with them. */
  async eraseForSupporter(orgId: string, supporterId: string): Promise<number> {
    const result = await this.consents.deleteMany({ orgId, supporterId }).exec();
    return result.deletedCount;
  }

  /** The consent histories of these supporters of one organisation, oldest first. */
  listForSupporters(orgId: string, supporterIds: string[]): Promise<ConsentRecord[]> {
    return this.consents
      .find({ orgId, supporterId: { $in: supporterIds } })
      .sort({ at: 1, _id: 1 })
      .lean<ConsentRecord[]>()
      .exec();
  }
}
