import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../common/stored';
import { OrgKeys, type NewOrgKeys, type OrgKeysRecord } from './org-keys.schema';

@Injectable()
export class OrgKeysRepository implements OnModuleInit {
  constructor(@InjectModel(OrgKeys.name) private readonly keys: Model<OrgKeys>) {}

  /** The unique orgId index must exist before the first write, or two replicas could both store a pair. */
  async onModuleInit(): Promise<void> {
    await this.keys.init();
  }

  findForOrg(orgId: string): Promise<OrgKeysRecord | null> {
    return this.keys.findOne({ orgId }).lean<OrgKeysRecord>().exec();
  }

  /** Replaces the organisation's own SMTP settings (sealed); null when it has no keys record yet. */
  setSmtp(orgId: string, smtpSealed: string): Promise<OrgKeysRecord | null> {
    return this.keys.findOneAndUpdate({ orgId }, { $set: { smtpSealed } }, { new: true }).lean<OrgKeysRecord>().exec();
  }

  /** Back to the network's SMTP server. */
  clearSmtp(orgId: string): Promise<OrgKeysRecord | null> {
    return this.keys.findOneAndUpdate({ orgId }, { $unset: { smtpSealed: 1 } }, { new: true }).lean<OrgKeysRecord>().exec();
  }

  /** Stores the pair unless the organisation already has one, and returns whichever pair is stored: the first writer wins. */
  async keepFirst(candidate: NewOrgKeys): Promise<OrgKeysRecord> {
    try {
      return await this.keys
        .findOneAndUpdate({ orgId: candidate.orgId }, { $setOnInsert: candidate }, { upsert: true, new: true })
        .lean<OrgKeysRecord>()
        .orFail()
        .exec();
    } catch (error) {
      // Two upserts raced to insert; the other one's pair is the organisation's.
      if (!isDuplicateKey(error)) throw error;
      return this.keys.findOne({ orgId: candidate.orgId }).lean<OrgKeysRecord>().orFail().exec();
    }
  }
}
