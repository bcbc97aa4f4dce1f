import { Injectable } from '@nestjs/common';
import { directoryRpc, type ResolvedSessionView } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';
import { hashTokenSecret } from '@clarion/security';

/** As for tokens: how long a live session is trusted without asking; a revocation bites within this. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Session cookie → the principal it acts as, asked of subscriptions with the
 * secret's hash (the secret never crosses the bus), with the token
 * resolver's short cache.
 */
@Injectable()
export class SessionResolver {
  private readonly cache = new Map<string, { session: ResolvedSessionView; until: number }>();

  constructor(private readonly rpc: RpcClient) {}

  async resolve(secret: string): Promise<ResolvedSessionView> {
    const sessionHash = hashTokenSecret(secret);
    const cached = this.cache.get(sessionHash);
    if (cached && cached.until > Date.now()) return cached.session;
    const session = await this.rpc.request(directoryRpc.resolveSession, { sessionHash });
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(sessionHash, { session, until: Date.now() + CACHE_TTL_MS });
    return session;
  }

  /** Signed out here: this gateway stops trusting the session at once (others within CACHE_TTL_MS). */
  forget(secret: string): void {
    this.cache.delete(hashTokenSecret(secret));
  }
}
