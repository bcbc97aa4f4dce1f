import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Controller } from '@nestjs/common';
import { capRpc, coordinates, isAdmin, type CapAccessView, type CapFeedSettingsView, type ValidRequestOf } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import { RequestHandler } from '@clarion/messaging';
import { CoalitionRepository } from '../coalitions/coalition.repository';

/** The coalition's CAP feed setting: public, or readable with a token (docs/decisions/0028). */
@Controller()
export class CapFeedController {
  constructor(private readonly coalitions: CoalitionRepository) {}

  /** A coordinator of the coalition (or a network admin) sets it; asking for `token` issues a fresh one, which retires the last. */
  @RequestHandler(capRpc.setFeed)
  async setFeed({ actor, coalitionId, input }: ValidRequestOf<typeof capRpc.setFeed>): Promise<CapFeedSettingsView> {
    if (!isAdmin(actor) && !coordinates(actor, coalitionId)) throw new Forbidden('only a coordinator of this coalition may change its CAP feed');
    const token = input.access === 'token' ? `capf_${randomBytes(24).toString('base64url')}` : undefined;
    const updated = await this.coalitions.setCapFeed(coalitionId, input.access, token ? sha256(token) : undefined);
    if (!updated) throw new NotFound('coalition not found', 'coalitionId');
    return { coalitionId, access: input.access, ...(token ? { token } : {}) };
  }

  /** Whether a feed request may read: the gateway sends the token's hash, never the token. */
  @RequestHandler(capRpc.access)
  async access({ coalitionId, tokenHash }: ValidRequestOf<typeof capRpc.access>): Promise<CapAccessView> {
    const coalition = await this.coalitions.findById(coalitionId);
    if (!coalition) throw new NotFound('coalition not found', 'coalitionId');
    const isPublic = coalition.capFeedAccess === 'public';
    const allowed = isPublic || (!!tokenHash && !!coalition.capFeedTokenHash && sameHex(tokenHash, coalition.capFeedTokenHash));
    return { allowed, name: coalition.name, slug: coalition.slug };
  }
}

function sha256(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
