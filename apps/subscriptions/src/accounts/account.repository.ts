import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Grant } from '@clarion/contracts';
import { isDuplicateKey } from '../common/stored';
import {
  Account,
  FIRST_ADMIN_ACCOUNT_SLOT,
  Session,
  SignInLink,
  type AccountRecord,
  type SessionRecord,
  type SignInLinkRecord,
} from './account.schema';

/** Which accounts a query may touch. */
export type AccountScope = { network: true } | { orgId: string } | { coalitionId: string };

const scoped = (scope: AccountScope) =>
  'orgId' in scope ? { 'grant.orgId': scope.orgId } : 'coalitionId' in scope ? { 'grant.coalitionId': scope.coalitionId } : {};

/** The same grant: same role, same organisation or coalition. */
const sameGrant = (grant: Grant) => ({
  'grant.role': grant.role,
  ...('orgId' in grant ? { 'grant.orgId': grant.orgId } : {}),
  ...('coalitionId' in grant ? { 'grant.coalitionId': grant.coalitionId } : {}),
});

/** Accounts, their sign-in links and their sessions. */
@Injectable()
export class AccountRepository implements OnModuleInit {
  constructor(
    @InjectModel(Account.name) private readonly accounts: Model<Account>,
    @InjectModel(SignInLink.name) private readonly links: Model<SignInLink>,
    @InjectModel(Session.name) private readonly sessions: Model<Session>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.accounts.init(), this.links.init(), this.sessions.init()]);
  }

  // ---- accounts ----

  async create(account: Pick<Account, 'email' | 'name' | 'grant' | 'language' | 'invitedBy'>): Promise<AccountRecord> {
    return (await this.accounts.create(account)).toObject<AccountRecord>();
  }

  /** Takes the bootstrap slot; undefined when another replica already took it. */
  async createFirstAdmin(email: string): Promise<AccountRecord | undefined> {
    try {
      const created = await this.accounts.create({ email, name: 'first admin', grant: { role: 'admin' }, language: 'en', bootstrapSlot: FIRST_ADMIN_ACCOUNT_SLOT });
      return created.toObject<AccountRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  findById(accountId: string): Promise<AccountRecord | null> {
    return this.accounts.findById(accountId).lean<AccountRecord>().exec();
  }

  findByEmail(email: string): Promise<AccountRecord[]> {
    return this.accounts.find({ email }).lean<AccountRecord[]>().exec();
  }

  async existsWithGrant(email: string, grant: Grant): Promise<boolean> {
    return (await this.accounts.exists({ email, ...sameGrant(grant) })) !== null;
  }

  list(scope: AccountScope): Promise<AccountRecord[]> {
    return this.accounts.find(scoped(scope)).sort({ createdAt: -1 }).lean<AccountRecord[]>().exec();
  }

  /** Staff of one organisation (admins and editors), for the review emails. */
  staffOf(orgId: string): Promise<AccountRecord[]> {
    return this.accounts.find({ 'grant.orgId': orgId, 'grant.role': { $in: ['org_admin', 'org_editor'] } }).lean<AccountRecord[]>().exec();
  }

  coordinatorsOf(coalitionId: string): Promise<AccountRecord[]> {
    return this.accounts.find({ 'grant.coalitionId': coalitionId, 'grant.role': 'coordinator' }).lean<AccountRecord[]>().exec();
  }

  /** Removes the account, its links and its sessions; null when it is not in scope. */
  async remove(scope: AccountScope, accountId: string): Promise<AccountRecord | null> {
    const removed = await this.accounts.findOneAndDelete({ _id: accountId, ...scoped(scope) }).lean<AccountRecord>().exec();
    if (!removed) return null;
    await Promise.all([
      this.links.updateMany({ accountId, usedAt: { $exists: false } }, { $set: { usedAt: new Date() } }).exec(),
      this.sessions.updateMany({ accountId, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } }).exec(),
    ]);
    return removed;
  }

  async recordSignIn(accountId: string, at: Date): Promise<void> {
    await this.accounts.updateOne({ _id: accountId }, { $set: { lastSignInAt: at } }).exec();
  }

  // ---- sign-in links ----

  /**
   * Stores a link in one of the account's `slots` open-link slots, claimed by an insert (so replicas asked at
   * once cannot together pass the bound); false when all are held by open links. With `orWithoutSlot`, a link
   * is stored without a slot when none is free.
   */
  async addLink(link: { accountId: string; hash: string; expiresAt: Date }, { now, slots, orWithoutSlot = false }: { now: Date; slots: number; orWithoutSlot?: boolean }): Promise<boolean> {
    await this.links
      .updateMany({ accountId: link.accountId, openSlot: { $exists: true }, $or: [{ usedAt: { $exists: true } }, { expiresAt: { $lte: now } }] }, { $unset: { openSlot: 1 } })
      .exec();
    for (let slot = 1; slot <= slots; slot++) {
      try {
        await this.links.create({ ...link, openSlot: `${link.accountId}#${slot}` });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    if (orWithoutSlot) await this.links.create(link);
    return orWithoutSlot;
  }

  /** Marks the link used, once: of two requests with the same link, one gets it. */
  useLink(hash: string, now: Date): Promise<SignInLinkRecord | null> {
    return this.links
      .findOneAndUpdate({ hash, usedAt: { $exists: false }, expiresAt: { $gt: now } }, { $set: { usedAt: now } }, { new: true })
      .lean<SignInLinkRecord>()
      .exec();
  }

  // ---- sessions ----

  async addSession(session: Pick<Session, 'accountId' | 'hash' | 'lastSeenAt' | 'expiresAt'>): Promise<SessionRecord> {
    return (await this.sessions.create(session)).toObject<SessionRecord>();
  }

  findLiveSession(hash: string, now: Date): Promise<SessionRecord | null> {
    return this.sessions.findOne({ hash, revokedAt: { $exists: false }, expiresAt: { $gt: now } }).lean<SessionRecord>().exec();
  }

  async touchSession(sessionId: string, at: Date): Promise<void> {
    await this.sessions.updateOne({ _id: sessionId }, { $set: { lastSeenAt: at } }).exec();
  }

  /** Revokes one session (of this account, when given); whether it was live. */
  async revokeSession(filter: { hash: string } | { sessionId: string; accountId: string }, at: Date): Promise<boolean> {
    const query = 'hash' in filter ? { hash: filter.hash } : { _id: filter.sessionId, accountId: filter.accountId };
    const result = await this.sessions.updateOne({ ...query, revokedAt: { $exists: false } }, { $set: { revokedAt: at } }).exec();
    return result.modifiedCount > 0;
  }

  sessionsOf(accountId: string, now: Date): Promise<SessionRecord[]> {
    return this.sessions
      .find({ accountId, revokedAt: { $exists: false }, expiresAt: { $gt: now } })
      .sort({ createdAt: -1 })
      .limit(100)
      .lean<SessionRecord[]>()
      .exec();
  }
}
