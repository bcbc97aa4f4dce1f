import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../common/stored';
import { OrgKeys, type NewOrgKeys, type OrgKeysRecord, type StoredDkim, type StoredSmtp } from './org-keys.schema';

/** Secrets in the old SecretBox form: `v1.<iv>.<tag>.<data>`. */
const LEGACY_SEALED = /^v1\./;

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

  /** Replaces the organisation's own SMTP settings (password sealed); null when it has no keys record yet. */
  setSmtp(orgId: string, smtp: StoredSmtp): Promise<OrgKeysRecord | null> {
    return this.keys.findOneAndUpdate({ orgId }, { $set: { smtp }, $unset: { smtpSealed: 1 } }, { new: true }).lean<OrgKeysRecord>().exec();
  }

  /** Back to the network's SMTP server. */
  clearSmtp(orgId: string): Promise<OrgKeysRecord | null> {
    return this.keys.findOneAndUpdate({ orgId }, { $unset: { smtp: 1, smtpSealed: 1 } }, { new: true }).lean<OrgKeysRecord>().exec();
  }

  /**
   * Replaces the DKIM settings, if they are still `before` (undefined: none): of two rotations at once, one
   * wins and the other is told so, rather than both keys being lost but one.
   */
  async replaceDkim(orgId: string, before: StoredDkim | undefined, dkim: StoredDkim | undefined): Promise<boolean> {
    const unchanged = before ? { 'dkim.current.selector': before.current.selector } : { dkim: { $exists: false } };
    const update = dkim ? { $set: { dkim } } : { $unset: { dkim: 1 } };
    return (await this.keys.updateOne({ orgId, ...unchanged }, update).exec()).modifiedCount === 1;
  }

  /** Every organisation's keys still in the old SecretBox form, for the migration at start (all tenants: it is the service's own upkeep). */
  findLegacy(): Promise<OrgKeysRecord[]> {
    return this.keys
      .find({ $or: [{ vapidPrivateKeySealed: { $regex: LEGACY_SEALED } }, { smtpSealed: { $exists: true } }] })
      .lean<OrgKeysRecord[]>()
      .exec();
  }

  /**
   * Replaces a record's old-form secrets with their new form, if they are still the ones read: a
   * replica migrating the same record at the same moment, or an admin setting new SMTP settings,
   * wins. The old forms are gone from the record either way.
   */
  async replaceLegacy(before: OrgKeysRecord, after: { vapidPrivateKeySealed: string; smtp?: StoredSmtp }): Promise<boolean> {
    const unchanged = { orgId: before.orgId, vapidPrivateKeySealed: before.vapidPrivateKeySealed, smtpSealed: before.smtpSealed ?? { $exists: false } };
    const update = { $set: { vapidPrivateKeySealed: after.vapidPrivateKeySealed, ...(after.smtp ? { smtp: after.smtp } : {}) }, $unset: { smtpSealed: 1 } };
    return (await this.keys.updateOne(unchanged, update).exec()).modifiedCount === 1;
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
