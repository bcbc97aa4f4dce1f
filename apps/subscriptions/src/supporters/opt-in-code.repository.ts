import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { OptInCodeRecord, OptInCodeStore } from '@clarion/channels';
import { isDuplicateKey } from '../common/stored';
import { OptInCode } from './opt-in-code.schema';

const slotIds = (key: string, issuedAt: number, attempts: number) => Array.from({ length: attempts }, (_, n) => `${key}#${issuedAt}#${n + 1}`);

/** The opt-in codes' store (libs/channels `OptInCodeStore`), every read and write by `_id`. */
@Injectable()
export class OptInCodeRepository implements OptInCodeStore {
  constructor(@InjectModel(OptInCode.name) private readonly codes: Model<OptInCode>) {}

  async find(key: string): Promise<OptInCodeRecord | undefined> {
    const code = await this.codes.findById(key).lean<OptInCode>().exec();
    if (!code?.hash || code.issuedAt === undefined) return undefined;
    return { hash: code.hash, issuedAt: code.issuedAt, expiresAt: code.expiresAt.getTime(), attemptsLeft: code.attempts ?? 0 };
  }

  async save(key: string, record: OptInCodeRecord): Promise<void> {
    const code = { hash: record.hash, issuedAt: record.issuedAt, expiresAt: new Date(record.expiresAt), attempts: record.attemptsLeft };
    await this.codes.replaceOne({ _id: key }, code, { upsert: true }).exec();
  }

  /** The first free attempt slot of the current code, claimed by an insert; undefined when it expired or all are taken. */
  async takeAttempt(key: string, now: number): Promise<OptInCodeRecord | undefined> {
    const record = await this.find(key);
    if (!record || record.expiresAt <= now) return undefined;
    const slots = slotIds(key, record.issuedAt, record.attemptsLeft);
    for (const [taken, _id] of slots.entries()) {
      try {
        await this.codes.create({ _id, expiresAt: new Date(record.expiresAt) });
        return { ...record, attemptsLeft: record.attemptsLeft - taken };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return undefined;
  }

  async delete(key: string): Promise<void> {
    const record = await this.find(key);
    const slots = record ? slotIds(key, record.issuedAt, record.attemptsLeft) : [];
    await this.codes.deleteMany({ _id: { $in: [key, ...slots] } }).exec();
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.codes.deleteMany({ expiresAt: { $lte: now } }).exec();
    return result.deletedCount;
  }
}
