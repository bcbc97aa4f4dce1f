import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import type { DeliveryChannel } from '@clarion/contracts';
import { Conflict } from '@clarion/errors';
import { duplicateIndexes } from '@clarion/persistence';
import { isDuplicateKey } from '../common/stored';
import {
  emailKeyOf,
  endpointKeyOf,
  Supporter,
  type EmailState,
  type PendingJoin,
  type PushState,
  type StoredPushSubscription,
  type SupporterRecord,
} from './supporter.schema';

export interface Preferences {
  language?: string;
  topics?: string[];
}

/** A row of an import, to be added to the organisation if its address and subscription are new there. */
export interface ImportedSupporter {
  email?: string;
  push?: StoredPushSubscription;
  language: string;
  topics: string[];
}

/** What an import needs to know of a supporter already on the list. */
export type KnownSupporter = Pick<SupporterRecord, '_id' | 'emailState' | 'pushState'>;

/** The fields fan-out reads of each supporter. */
export type AudienceMember = Pick<SupporterRecord, '_id' | 'email' | 'emailState' | 'push' | 'pushState' | 'language' | 'topics'>;

export type EmailStateCounts = Partial<Record<EmailState, number>>;
export type PushStateCounts = Partial<Record<PushState, number>>;

/** Measured on the embedded FerretDB: 2,000 lookups by key take ~1.7 s one by one, ~0.9 s ten at a time, hardly less with more. */
const LOOKUPS_AT_ONCE = 10;

/** Every query is scoped by organisation: supporters belong to theirs. */
@Injectable()
export class SupporterRepository implements OnModuleInit {
  constructor(@InjectModel(Supporter.name) private readonly supporters: Model<Supporter>) {}

  /** The unique address and endpoint indexes must exist before the first join. */
  async onModuleInit(): Promise<void> {
    await this.supporters.init();
  }

  /** By exact (lower-cased) address, through the unique key the join uses. */
  findByEmail(orgId: string, email: string): Promise<SupporterRecord | null> {
    return this.supporters.findOne({ emailKey: emailKeyOf(orgId, email), orgId }).lean<SupporterRecord>().exec();
  }

  findInOrg(orgId: string, supporterId: string): Promise<SupporterRecord | null> {
    return this.supporters.findOne({ _id: supporterId, orgId }).lean<SupporterRecord>().exec();
  }

  /**
   * The supporter with this address, added (pending, with these preferences)
   * if it is new. One that exists is returned as it is: a join never changes
   * an existing supporter. A concurrent join of the same address wins the
   * insert race once; the retry then finds it.
   */
  findOrCreateByEmail(orgId: string, email: string, { language, topics }: Required<Preferences>): Promise<SupporterRecord> {
    const emailKey = emailKeyOf(orgId, email);
    const upsert = () =>
      this.supporters
        .findOneAndUpdate({ emailKey }, { $setOnInsert: { orgId, email, emailState: 'pending', language, topics } }, { upsert: true, new: true })
        .lean<SupporterRecord>()
        .orFail()
        .exec();
    return withoutDuplicateKeyErrors(() => upsert().catch((error: unknown) => (isDuplicateKey(error) ? upsert() : Promise.reject(error))));
  }

  /**
   * The supporter holding this browser's subscription, added as a push-only
   * supporter (active: the browser's permission prompt was the opt-in) if
   * the subscription is new; `created` says which.
   */
  async findOrCreateByEndpoint(orgId: string, push: StoredPushSubscription, { language, topics }: Required<Preferences>): Promise<{ supporter: SupporterRecord; created: boolean }> {
    const endpointKey = endpointKeyOf(orgId, push.endpointHash);
    const upsert = async () => {
      const result = (await this.supporters
        .findOneAndUpdate(
          { endpointKey },
          { $setOnInsert: { orgId, push, endpointKey, pushState: 'active', language, topics } },
          { upsert: true, new: true, includeResultMetadata: true },
        )
        .lean()
        .exec()) as unknown as { value: SupporterRecord | null; lastErrorObject?: { updatedExisting?: boolean } };
      if (!result.value) throw new Error('the upserted supporter was not returned');
      return { supporter: result.value, created: !result.lastErrorObject?.updatedExisting };
    };
    return withoutDuplicateKeyErrors(() => upsert().catch((error: unknown) => (isDuplicateKey(error) ? upsert() : Promise.reject(error))));
  }

  /**
   * Makes `attempt` the supporter's pending join and notes a confirmation
   * email sent at `now`, unless one was sent less than `windowMs` ago: then
   * null, and the earlier attempt (and its link) stays as it was.
   */
  openJoinAttempt(orgId: string, supporterId: Types.ObjectId, attempt: PendingJoin, now: Date, windowMs: number): Promise<SupporterRecord | null> {
    const windowOpen = [{ confirmationSentAt: { $exists: false } }, { confirmationSentAt: { $lte: new Date(now.getTime() - windowMs) } }];
    return this.supporters
      .findOneAndUpdate(
        { _id: supporterId, orgId, $or: windowOpen },
        { $set: { pendingJoin: attempt, confirmationSentAt: now }, $inc: { confirmationRequests: 1 } },
        { new: true },
      )
      .lean<SupporterRecord>()
      .exec();
  }

  /**
   * Takes the supporter's pending join if it is the attempt `attemptId`:
   * returns it and removes it, so a link works once. Undefined when that
   * attempt is not (or no longer) the pending one.
   */
  async takeJoinAttempt(orgId: string, supporterId: string, attemptId: string): Promise<PendingJoin | undefined> {
    const before = await this.supporters
      .findOneAndUpdate({ _id: supporterId, orgId, 'pendingJoin.id': attemptId }, { $unset: { pendingJoin: 1 } }, { new: false })
      .lean<SupporterRecord>()
      .exec();
    return before?.pendingJoin?.id === attemptId ? before.pendingJoin : undefined;
  }

  /** A pending join is forgotten: its link confirms nothing any more (the address left the list). */
  async dropJoinAttempt(orgId: string, supporterId: string): Promise<void> {
    await this.supporters.updateOne({ _id: supporterId, orgId }, { $unset: { pendingJoin: 1 } }).exec();
  }

  /**
   * What a confirmed join does: the address active, the preferences chosen
   * with it, and the browser subscription given with it attached (taken from
   * whichever supporter of the organisation held it: a browser has one
   * subscription).
   */
  completeJoin(orgId: string, supporterId: string, { push, language, topics }: PendingJoin): Promise<void> {
    const endpointKey = push && endpointKeyOf(orgId, push.endpointHash);
    const complete = async () => {
      if (endpointKey) await this.supporters.updateOne({ endpointKey, _id: { $ne: supporterId } }, { $unset: { push: 1, endpointKey: 1, pushState: 1 } }).exec();
      const withPush = push ? { push, endpointKey, pushState: 'active' } : {};
      await this.supporters.updateOne({ _id: supporterId, orgId }, { $set: { emailState: 'active', language, topics, ...withPush } }).exec();
    };
    return withoutDuplicateKeyErrors(() => complete().catch((error: unknown) => (isDuplicateKey(error) ? complete() : Promise.reject(error))));
  }

  /** Moves the email channel to `to` only from one of `from`; false when it was in another state (or is unknown). */
  async changeEmailState(orgId: string, supporterId: string, from: EmailState[], to: EmailState): Promise<boolean> {
    const result = await this.supporters.updateOne({ _id: supporterId, orgId, emailState: { $in: from } }, { $set: { emailState: to } }).exec();
    return result.modifiedCount > 0;
  }

  async changePushState(orgId: string, supporterId: string, from: PushState[], to: PushState): Promise<boolean> {
    const result = await this.supporters.updateOne({ _id: supporterId, orgId, pushState: { $in: from } }, { $set: { pushState: to } }).exec();
    return result.modifiedCount > 0;
  }

  /** The push service said this subscription no longer exists: forget it. A newer subscription of the supporter stays. */
  async markPushGone(orgId: string, supporterId: string, endpointHash: string): Promise<boolean> {
    const result = await this.supporters
      .updateOne({ _id: supporterId, orgId, 'push.endpointHash': endpointHash }, { $set: { pushState: 'gone' }, $unset: { push: 1, endpointKey: 1 } })
      .exec();
    return result.modifiedCount > 0;
  }

  updatePreferences(orgId: string, supporterId: string, preferences: Preferences): Promise<SupporterRecord | null> {
    return this.supporters.findOneAndUpdate({ _id: supporterId, orgId }, { $set: preferences }, { new: true }).lean<SupporterRecord>().exec();
  }

  /** The supporter holding this browser's push subscription (by the endpoint's hash), if any. */
  findByEndpointHash(orgId: string, endpointHash: string): Promise<SupporterRecord | null> {
    return this.supporters.findOne({ endpointKey: endpointKeyOf(orgId, endpointHash), orgId }).lean<SupporterRecord>().exec();
  }

  /**
   * A browser rotated its subscription: the new one replaces the old, only
   * while the old is still the one stored. False when it is not (any more).
   */
  async replacePush(orgId: string, supporterId: Types.ObjectId, oldEndpointHash: string, push: StoredPushSubscription): Promise<boolean> {
    const result = await withoutDuplicateKeyErrors(() =>
      this.supporters
        .updateOne(
          { _id: supporterId, orgId, 'push.endpointHash': oldEndpointHash },
          { $set: { push, endpointKey: endpointKeyOf(orgId, push.endpointHash) } },
        )
        .exec(),
    );
    return result.modifiedCount > 0;
  }

  /** Before an erasure: no channel is active any more, so no fan-out from now on picks the supporter. */
  async silence(orgId: string, supporterId: string): Promise<void> {
    await this.supporters.updateOne({ _id: supporterId, orgId, emailState: { $exists: true } }, { $set: { emailState: 'unsubscribed' } }).exec();
    await this.supporters.updateOne({ _id: supporterId, orgId, pushState: { $exists: true } }, { $set: { pushState: 'unsubscribed' } }).exec();
  }

  /** Erasure: the document goes, address, subscription and all. False when it was not there. */
  async erase(orgId: string, supporterId: string): Promise<boolean> {
    const result = await this.supporters.deleteOne({ _id: supporterId, orgId }).exec();
    return result.deletedCount > 0;
  }

  /** Those of these addresses already on the list, by address. */
  findByEmails(orgId: string, emails: string[]): Promise<Map<string, KnownSupporter>> {
    return this.findByKeys(emails, (email) => ({ emailKey: emailKeyOf(orgId, email) }));
  }

  /** Those of these push subscriptions (by endpoint hash) already on the list, by hash. */
  findByEndpointHashes(orgId: string, endpointHashes: string[]): Promise<Map<string, KnownSupporter>> {
    return this.findByKeys(endpointHashes, (hash) => ({ endpointKey: endpointKeyOf(orgId, hash) }));
  }

  /**
   * One lookup per key, through its unique index (the embedded FerretDB
   * pushes an equality on `emailKey` / `endpointKey` down to it, decision
   * 0012; an `$in` it would not), a few at a time: the cost follows the
   * number of keys, not the size of the list.
   */
  private async findByKeys(keys: string[], filterOf: (key: string) => Record<string, string>): Promise<Map<string, KnownSupporter>> {
    const found = new Map<string, KnownSupporter>();
    for (let start = 0; start < keys.length; start += LOOKUPS_AT_ONCE) {
      await Promise.all(
        keys.slice(start, start + LOOKUPS_AT_ONCE).map(async (key) => {
          const supporter = await this.supporters.findOne(filterOf(key), { emailState: 1, pushState: 1 }).lean<KnownSupporter>().exec();
          if (supporter) found.set(key, supporter);
        }),
      );
    }
    return found;
  }

  /**
   * Adds imported supporters, active on each channel they bring, in one
   * unordered insert: returns each row's new id, or undefined where its
   * address or subscription is already on the list (the unique keys refused
   * it; that supporter stays as it is). An insert needs no lookup first and
   * goes in one command, where upserts are one update statement each (and on
   * FerretDB 1.24 lost `topics`). Fully built documents, defaults and
   * timestamps included, because they bypass mongoose: its insertMany drops
   * the driver's per-row error codes.
   */
  async insertImported(orgId: string, rows: ImportedSupporter[]): Promise<(Types.ObjectId | undefined)[]> {
    if (rows.length === 0) return [];
    const now = new Date();
    const docs: (SupporterRecord & { __v: number })[] = rows.map(({ email, push, language, topics }) => ({
      _id: new Types.ObjectId(),
      orgId,
      ...(email ? { email, emailKey: emailKeyOf(orgId, email), emailState: 'active' as const } : {}),
      ...(push ? { push, endpointKey: endpointKeyOf(orgId, push.endpointHash), pushState: 'active' as const } : {}),
      language,
      topics,
      confirmationRequests: 0,
      createdAt: now,
      updatedAt: now,
      __v: 0,
    }));
    const refused = await withoutDuplicateKeyErrors(() => insertUnordered(this.supporters, docs));
    return docs.map(({ _id }, index) => (refused.has(index) ? undefined : _id));
  }

  /** Imported with evidence of consent: pending addresses become active (only those still pending). */
  async activatePending(orgId: string, supporterIds: Types.ObjectId[]): Promise<void> {
    if (supporterIds.length === 0) return;
    await this.supporters.updateMany({ _id: { $in: supporterIds }, orgId, emailState: 'pending' }, { $set: { emailState: 'active' } }).exec();
  }

  /** A page of the organisation's supporters in _id order, after `after`. */
  page(orgId: string, after: string | undefined, limit: number): Promise<SupporterRecord[]> {
    return this.supporters
      .find({ orgId, ...(after ? { _id: { $gt: new Types.ObjectId(after) } } : {}) })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<SupporterRecord[]>()
      .exec();
  }

  /** Supporters by channel state, aggregated in the database. */
  async countStates(orgId: string): Promise<{ total: number; email: EmailStateCounts; push: PushStateCounts }> {
    const groups = await this.supporters
      .aggregate<{ _id: { email?: EmailState; push?: PushState }; count: number }>([
        { $match: { orgId } },
        { $group: { _id: { email: '$emailState', push: '$pushState' }, count: { $sum: 1 } } },
      ])
      .exec();
    const counts = { total: 0, email: {} as EmailStateCounts, push: {} as PushStateCounts };
    for (const { _id: states, count } of groups) {
      counts.total += count;
      if (states.email) counts.email[states.email] = (counts.email[states.email] ?? 0) + count;
      if (states.push) counts.push[states.push] = (counts.push[states.push] ?? 0) + count;
    }
    return counts;
  }

  /**
   * The organisation's supporters active on at least one of `channels`, in
   * _id order after `after`, read from a cursor: the audience is never held
   * in memory, only the driver's current batch.
   */
  /** These supporters of the organisation, in _id order, as an audience (a resend names them). */
  async audienceByIds(orgId: string, supporterIds: string[]): Promise<AudienceMember[]> {
    const members: AudienceMember[] = [];
    // _id `$in` of up to 1,000 is what the embedded FerretDB looks up through its index (docs/decisions/0012).
    for (let start = 0; start < supporterIds.length; start += 1_000) {
      const ids = supporterIds.slice(start, start + 1_000).map((id) => new Types.ObjectId(id));
      members.push(
        ...(await this.supporters
          .find({ _id: { $in: ids }, orgId }, { email: 1, emailState: 1, push: 1, pushState: 1, language: 1, topics: 1 })
          .lean<AudienceMember[]>()
          .exec()),
      );
    }
    return members.sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString()));
  }

  streamAudience(orgId: string, channels: DeliveryChannel[], after: Types.ObjectId | undefined, batchSize: number): AsyncIterable<AudienceMember> {
    const activeOn = channels.map((channel) => (channel === 'email' ? { emailState: 'active' } : { pushState: 'active' }));
    return this.supporters
      .find(
        { orgId, ...(after ? { _id: { $gt: after } } : {}), $or: activeOn },
        { email: 1, emailState: 1, push: 1, pushState: 1, language: 1, topics: 1 },
      )
      .sort({ _id: 1 })
      .lean<AudienceMember>()
      .cursor({ batchSize });
  }
}

/**
 * Inserts every document it can (unordered) and returns the indexes of those
 * a unique index refused. Any other failure is thrown.
 */
async function insertUnordered<T>(model: Model<T>, docs: object[]): Promise<Set<number>> {
  try {
    await model.collection.insertMany(docs, { ordered: false });
    return new Set();
  } catch (error) {
    return duplicateIndexes(error);
  }
}

/**
 * A unique-index race lost even after a retry comes back as a Conflict: the
 * database's own message quotes the key, an address, which must not reach the logs.
 */
async function withoutDuplicateKeyErrors<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isDuplicateKey(error)) throw new Conflict('the same person was being added at the same moment; try again');
    throw error;
  }
}
