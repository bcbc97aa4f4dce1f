import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { directoryRpc, type Principal } from '@clarion/contracts';
import { Unauthenticated } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';

/** How long a resolved token is trusted without asking again; a revocation takes effect within this. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Bearer token → principal, asked of `subscriptions` (which stores tokens
 * hashed). A short cache keeps the API from paying a NATS round trip per
 * request while revocations still bite within seconds.
 */
@Injectable()
export class TokenResolver {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly rpc: RpcClient) {}

  async resolve(authorization: string | undefined): Promise<Principal> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthenticated('send an API token as "Authorization: Bearer <token>"', 'authorization');
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.principal;

    const principal = await this.rpc.request(directoryRpc.resolveToken, { token });
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }
}
