import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../common/stored';
import { FIRST_ADMIN_SLOT, Token, type TokenRecord } from './token.schema';

/** Which tokens a query may touch: the whole network (admins) or one organisation's. */
export type TokenScope = { network: true } | { orgId: string };

const scoped = (scope: TokenScope) => ('orgId' in scope ? { 'grant.orgId': scope.orgId } : {});

@Injectable()
export class TokenRepository implements OnModuleInit {
  constructor(@InjectModel(Token.name) private readonly tokens: Model<Token>) {}

  /** The unique indexes (hash, bootstrap slot) must exist before the first write. */
  async onModuleInit(): Promise<void> {
    await this.tokens.init();
  }

  async create(token: Pick<Token, 'name' | 'hash' | 'grant'>): Promise<TokenRecord> {
    return (await this.tokens.create(token)).toObject<TokenRecord>();
  }

  /** Takes the bootstrap slot; undefined when another replica already took it. */
  async createFirstAdmin(hash: string): Promise<TokenRecord | undefined> {
    try {
      const token = await this.tokens.create({ name: 'first admin', hash, grant: { role: 'admin' }, bootstrapSlot: FIRST_ADMIN_SLOT });
      return token.toObject<TokenRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.tokens.exists({ 'grant.role': 'admin' })) !== null;
  }

  findActiveByHash(hash: string): Promise<TokenRecord | null> {
    return this.tokens.findOne({ hash, revokedAt: { $exists: false } }).lean<TokenRecord>().exec();
  }

  list(scope: TokenScope): Promise<TokenRecord[]> {
    return this.tokens.find(scoped(scope)).sort({ createdAt: -1 }).lean<TokenRecord[]>().exec();
  }

  /** Revoking twice keeps the first revocation time; null when the token is not in scope. */
  async revoke(scope: TokenScope, tokenId: string): Promise<TokenRecord | null> {
    const revoked = await this.tokens
      .findOneAndUpdate({ _id: tokenId, ...scoped(scope), revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } }, { new: true })
      .lean<TokenRecord>()
      .exec();
    return revoked ?? this.tokens.findOne({ _id: tokenId, ...scoped(scope) }).lean<TokenRecord>().exec();
  }
}
