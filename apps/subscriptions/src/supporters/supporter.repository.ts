import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Types, type Model } from 'mongoose';
import { channelNames, channels, type AnyChannel, type ChannelName, type ChannelStateOf, type StoredContactOf, type Transition } from '@clarion/channels';
import { Conflict } from '@clarion/errors';
import { duplicateIndexes } from '@clarion/persistence';
import { isDuplicateKey } from '../common/stored';
import { migrateLegacyContacts } from './supporter-contacts.migration';
import { contactKeyOf, keyFieldOf, Supporter, type ContactRecord, type PendingJoin, type SupporterRecord } from './supporter.schema';

export interface Preferences {
  language?: string;
  topics?: string[];
}

/** A supporter's stored contacts by channel, as an import or a join brings them. */
export type StoredContacts = { [C in ChannelName]?: StoredContactOf<C> };

/** A row of an import, to be added to the organisation if its contacts are new there. */
export interface ImportedSupporter {
  contacts: StoredContacts;
  language: string;
  topics: string[];
}

/** What an import needs to know of a supporter already on the list. */
export type KnownSupporter = Pick<SupporterRecord, '_id' | 'contacts'>;

/** The fields fan-out reads of each supporter. */
export type AudienceMember = Pick<SupporterRecord, '_id' | 'contacts' | 'language' | 'topics'>;
const AUDIENCE_FIELDS = { contacts: 1, language: 1, topics: 1 };

export type StateCounts = { [C in ChannelName]: Partial<Record<ChannelStateOf<C>, number>> };

const statePath = (channel: ChannelName) => `contacts.${channel}.state`;

/** Measured on the embedded FerretDB: 2,000 lookups by key take ~1.7 s one by one, ~0.9 s ten at a time, hardly less with more. */
const LOOKUPS_AT_ONCE = 10;

/** Every query is scoped by organisation: supporters belong to theirs. */
@Injectable()
export class SupporterRepository implements OnModuleInit {
  private readonly logger = new Logger(SupporterRepository.name);

  constructor(@InjectModel(Supporter.name) private readonly supporters: Model<Supporter>) {}

  /** The unique contact indexes must exist before the first join, and every record be in the registry's shape before the first read. */
  async onModuleInit(): Promise<void> {
    await this.supporters.init();
    await migrateLegacyContacts(this.supporters, this.logger);
  }

  /** The supporter with this contact on the channel, by the channel's key (`key.of`: a lower-cased address, an endpoint's hash). */
  findByKey(orgId: string, channel: ChannelName, key: string): Promise<SupporterRecord | null> {
    return this.supporters.findOne({ [keyFieldOf(channel)]: `${orgId}:${key}`, orgId }).lean<SupporterRecord>().exec();
  }

  findInOrg(orgId: string, supporterId: string): Promise<SupporterRecord | null> {
    return this.supporters.findOne({ _id: supporterId, orgId }).lean<SupporterRecord>().exec();
  }

  /**
   * The supporter with this contact, added (in `state`, with these
   * preferences) if it is new; `created` says which. One that exists is
   * returned as it is: a join never changes an existing supporter. A
   * concurrent join of the same contact wins the insert race once; the retry
   * then finds it.
   */
  async findOrCreateByContact<C extends ChannelName>(
    orgId: string,
    channel: C,
    address: StoredContactOf<C>,
    state: ChannelStateOf<C>,
    { language, topics }: Required<Preferences>,
  ): Promise<{ supporter: SupporterRecord; created: boolean }> {
    const key = { [keyFieldOf(channel)]: contactKeyOf(orgId, channel, address) };
    const contact: ContactRecord<C> = { address, state };
    const upsert = async () => {
      const result = (await this.supporters
        .findOneAndUpdate(key, { $setOnInsert: { orgId, ...key, contacts: { [channel]: contact }, language, topics } }, { upsert: true, new: true, includeResultMetadata: true })
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
    const pushKey = push && { [keyFieldOf('push')]: contactKeyOf(orgId, 'push', push) };
    const complete = async () => {
      if (pushKey) await this.supporters.updateOne({ ...pushKey, _id: { $ne: supporterId } }, { $unset: { 'contacts.push': 1, [keyFieldOf('push')]: 1 } }).exec();
      const withPush = pushKey ? { ...pushKey, 'contacts.push': { address: push, state: channels.push.active } } : {};
      await this.supporters.updateOne({ _id: supporterId, orgId }, { $set: { [statePath('email')]: channels.email.active, language, topics, ...withPush } }).exec();
    };
    return withoutDuplicateKeyErrors(() => complete().catch((error: unknown) => (isDuplicateKey(error) ? complete() : Promise.reject(error))));
  }

  /**
   * Moves the channel's state as `transition` says, only from one of its
   * states; false when it was in another (or the supporter is unknown).
   * `key` (the channel's `key.of` a contact, e.g. an endpoint's hash): only
   * while the supporter still has that contact (a newer one stays as it is).
   * A transition that forgets the contact frees its key.
   */
  async move<C extends ChannelName>(orgId: string, supporterId: string, channel: C, transition: Transition<ChannelStateOf<C>>, key?: string): Promise<boolean> {
    const filter = { _id: supporterId, orgId, [statePath(channel)]: { $in: transition.from }, ...(key === undefined ? {} : { [keyFieldOf(channel)]: `${orgId}:${key}` }) };
    const forget = transition.forget ? { $unset: { [`contacts.${channel}.address`]: 1, [keyFieldOf(channel)]: 1 } } : {};
    const result = await this.supporters.updateOne(filter, { $set: { [statePath(channel)]: transition.to }, ...forget }).exec();
    return result.modifiedCount > 0;
  }

  updatePreferences(orgId: string, supporterId: string, preferences: Preferences): Promise<SupporterRecord | null> {
    return this.supporters.findOneAndUpdate({ _id: supporterId, orgId }, { $set: preferences }, { new: true }).lean<SupporterRecord>().exec();
  }

  /**
   * A contact changed (a browser rotated its push subscription): the new one
   * replaces the old, only while the old is still the one stored. False when
   * it is not (any more). The state stays as it was.
   */
  async replaceContact<C extends ChannelName>(orgId: string, supporterId: Types.ObjectId, channel: C, old: StoredContactOf<C>, fresh: StoredContactOf<C>): Promise<boolean> {
    const field = keyFieldOf(channel);
    const result = await withoutDuplicateKeyErrors(() =>
      this.supporters
        .updateOne({ _id: supporterId, orgId, [field]: contactKeyOf(orgId, channel, old) }, { $set: { [`contacts.${channel}.address`]: fresh, [field]: contactKeyOf(orgId, channel, fresh) } })
        .exec(),
    );
    return result.modifiedCount > 0;
  }

  /** Before an erasure: no channel is active any more, so no fan-out from now on picks the supporter. */
  async silence(orgId: string, supporterId: string): Promise<void> {
    for (const channel of channelNames) {
      await this.supporters.updateOne({ _id: supporterId, orgId, [statePath(channel)]: { $exists: true } }, { $set: { [statePath(channel)]: channels[channel].unsubscribe.to } }).exec();
    }
  }

  /** Erasure: the document goes, address, subscription and all. False when it was not there. */
  async erase(orgId: string, supporterId: string): Promise<boolean> {
    const result = await this.supporters.deleteOne({ _id: supporterId, orgId }).exec();
    return result.deletedCount > 0;
  }

  /**
   * Every organisation's supporter with this contact on the channel (a reply to the installation's SMS sender
   * concerns them all): the key field ends with `:<key>`. A scan on FerretDB, once per reply.
   */
  findEverywhereByKey(channel: ChannelName, key: string): Promise<Pick<SupporterRecord, '_id' | 'orgId'>[]> {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.supporters.find({ [keyFieldOf(channel)]: { $regex: `^[0-9a-f]{24}:${escaped}$` } }, { _id: 1, orgId: 1 }).lean<Pick<SupporterRecord, '_id' | 'orgId'>[]>().exec();
  }

  /** Those of these contacts on the channel already on the list, by their key (`key.of`: an address, an endpoint's hash). */
  findByContacts<C extends ChannelName>(orgId: string, channel: C, contacts: StoredContactOf<C>[]): Promise<Map<string, KnownSupporter>> {
    const keyOf = channels[channel].key.of as (contact: StoredContactOf<C>) => string;
    return this.findByKeys(contacts.map(keyOf), (key) => ({ [keyFieldOf(channel)]: `${orgId}:${key}` }));
  }

  /**
   * One lookup per key, through its unique index (the embedded FerretDB
   * pushes an equality on a channel's key field down to it, decision
   * 0012; an `$in` it would not), a few at a time: the cost follows the
   * number of keys, not the size of the list.
   */
  private async findByKeys(keys: string[], filterOf: (key: string) => Record<string, string>): Promise<Map<string, KnownSupporter>> {
    const found = new Map<string, KnownSupporter>();
    for (let start = 0; start < keys.length; start += LOOKUPS_AT_ONCE) {
      await Promise.all(
        keys.slice(start, start + LOOKUPS_AT_ONCE).map(async (key) => {
          const supporter = await this.supporters.findOne(filterOf(key), { contacts: 1 }).lean<KnownSupporter>().exec();
          if (supporter) found.set(key, supporter);
        }),
      );
    }
    return found;
  }

  /**
   * Adds imported supporters, active on each channel they bring (pending on a code channel), in one
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
    const docs: (SupporterRecord & { __v: number })[] = rows.map(({ contacts, language, topics }) => ({
      _id: new Types.ObjectId(),
      orgId,
      ...contactFields(orgId, contacts),
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

  /** Imported with evidence of consent: these supporters' contacts on the channel still in state `from` become active. */
  async activate<C extends ChannelName>(orgId: string, supporterIds: Types.ObjectId[], channel: C, from: ChannelStateOf<C>): Promise<void> {
    if (supporterIds.length === 0) return;
    await this.supporters.updateMany({ _id: { $in: supporterIds }, orgId, [statePath(channel)]: from }, { $set: { [statePath(channel)]: channels[channel].active } }).exec();
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
  async countStates(orgId: string): Promise<{ total: number; states: StateCounts }> {
    const groups = await this.supporters
      .aggregate<{ _id: Partial<Record<ChannelName, string>>; count: number }>([
        { $match: { orgId } },
        { $group: { _id: Object.fromEntries(channelNames.map((channel) => [channel, `$${statePath(channel)}`])), count: { $sum: 1 } } },
      ])
      .exec();
    const states = Object.fromEntries(channelNames.map((channel) => [channel, {}])) as Record<ChannelName, Record<string, number>>;
    let total = 0;
    for (const { _id: grouped, count } of groups) {
      total += count;
      for (const channel of channelNames) {
        const state = grouped[channel];
        if (state) states[channel][state] = (states[channel][state] ?? 0) + count;
      }
    }
    return { total, states: states as StateCounts };
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
          .find({ _id: { $in: ids }, orgId }, AUDIENCE_FIELDS)
          .lean<AudienceMember[]>()
          .exec()),
      );
    }
    return members.sort((a, b) => a._id.toHexString().localeCompare(b._id.toHexString()));
  }

  streamAudience(orgId: string, channelsOfRelay: ChannelName[], after: Types.ObjectId | undefined, batchSize: number): AsyncIterable<AudienceMember> {
    // The embedded FerretDB reads by orgId and _id from the index (docs/decisions/0012) and checks the states on what it read.
    const activeOn = channelsOfRelay.map((channel) => ({ [statePath(channel)]: channels[channel].active }));
    return this.supporters
      .find({ orgId, ...(after ? { _id: { $gt: after } } : {}), $or: activeOn }, AUDIENCE_FIELDS)
      .sort({ _id: 1 })
      .lean<AudienceMember>()
      .cursor({ batchSize });
  }
}

/**
 * A new imported supporter's contacts, with the unique key of each: active, but on a channel whose consent
 * is a code typed back (SMS) in the state that code confirms, as a join leaves it (docs/decisions/0037).
 */
function contactFields(orgId: string, contacts: StoredContacts): Pick<SupporterRecord, 'contacts'> & Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const records: Record<string, ContactRecord<ChannelName>> = {};
  for (const channel of channelNames) {
    const address = contacts[channel];
    if (address === undefined) continue;
    const definition: AnyChannel = channels[channel];
    records[channel] = { address, state: (definition.optIn ? definition.optIn.confirms.from[0] : definition.active) as ChannelStateOf<ChannelName> };
    fields[keyFieldOf(channel)] = contactKeyOf(orgId, channel, address as never);
  }
  return { ...fields, contacts: records };
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
