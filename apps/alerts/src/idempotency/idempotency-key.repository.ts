import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '@clarion/persistence';
import { IdempotencyKey, type IdempotencyKeyRecord } from './idempotency-key.schema';

/** Whose key: the coalition of the caller. The same key in another coalition is another key. */
export interface KeyScope {
  coalitionId: string;
  key: string;
}

const idOf = ({ coalitionId, key }: KeyScope) => `${coalitionId}:${key}`;

/**
 * Idempotency keys by their scoped `_id` only: FerretDB uses an index for
 * exactly `{ _id: value }` and scans for anything else, and its conditional
 * updates are a read followed by a write, not atomic. The one atomic step it
 * offers is an insert refused on a duplicate `_id`, which is how a request
 * claims a key.
 */
@Injectable()
export class IdempotencyKeyRepository {
  constructor(@InjectModel(IdempotencyKey.name) private readonly keys: Model<IdempotencyKey>) {}

  /** True when this call inserted the key; false when the key is already there. */
  async claim(scope: KeyScope, fields: { fingerprint: string; leaseUntil: Date; now: Date; expiresAt: Date }): Promise<boolean> {
    try {
      await this.keys.create({
        _id: idOf(scope),
        coalitionId: scope.coalitionId,
        fingerprint: fields.fingerprint,
        state: 'pending',
        leaseUntil: fields.leaseUntil,
        createdAt: fields.now,
        expiresAt: fields.expiresAt,
      });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  find(scope: KeyScope): Promise<IdempotencyKeyRecord | null> {
    return this.keys.findOne({ _id: idOf(scope) }).lean<IdempotencyKeyRecord>().exec();
  }

  /** Stores the answer of the request that held the key. */
  async complete(scope: KeyScope, response: string): Promise<void> {
    await this.keys.updateOne({ _id: idOf(scope) }, { $set: { state: 'done', response }, $unset: { leaseUntil: 1 } });
  }

  /** Frees the key: its request failed (a retry runs again), it expired, or its holder died. */
  async release(scope: KeyScope): Promise<void> {
    await this.keys.deleteOne({ _id: idOf(scope) });
  }

  /** Housekeeping across every coalition, not a caller's request. A scan on FerretDB; the collection holds a day of publications. */
  async deleteExpired(now: Date): Promise<number> {
    const { deletedCount } = await this.keys.deleteMany({ expiresAt: { $lte: now } });
    return deletedCount;
  }
}
