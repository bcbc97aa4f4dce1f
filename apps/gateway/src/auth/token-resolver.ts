import { Injectable } from '@nestjs/common';
import { directoryRpc, type Principal } from '@clarion/contracts';
import { Unauthenticated } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';
import { hashTokenSecret } from '@clarion/security';

/** How long a resolved token is trusted without asking again; a revocation takes effect within this. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Bearer token → principal, asked of `subscriptions` (which stores tokens
 * hashed) with the token's hash: the token itself never crosses the bus.
 * A short cache keeps the API from paying a NATS round trip per request
 * while revocations still bite within seconds.
 */
@Injectable()
export class TokenResolver {
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly rpc: RpcClient) {}

  async resolve(authorization: string | undefined): Promise<Principal> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token) throw new Unauthenticated('send an API token as "Authorization: Bearer <token>"', 'authorization');
    const tokenHash = hashTokenSecret(token);
    const cached = this.cache.get(tokenHash);
    if (cached && cached.until > Date.now()) return cached.principal;

    const principal = await this.rpc.request(directoryRpc.resolveToken, { tokenHash });
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(tokenHash, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }
}
