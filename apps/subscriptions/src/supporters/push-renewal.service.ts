import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { channels, endpointHashOf } from '@clarion/channels';
import type { PushRenewedView } from '@clarion/contracts';
import { Invalid, NotFound } from '@clarion/errors';
import { OutboundRules } from '@clarion/security';
import { PublicOrganisationService } from './public-organisation.service';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from '../common/requests';
import type { StoredPushSubscription } from './supporter.schema';

/**
 * A browser's push service rotated its subscription (`pushsubscriptionchange`
 * in the service worker): the new one replaces the old. Only the browser
 * that held the old subscription knows its endpoint and both keys, the
 * 16-byte auth secret among them; anything less changes nothing. The new
 * subscription keeps the supporter's push state (a renewal never resubscribes).
 */
@Injectable()
export class PushRenewalService {
  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly outbound: OutboundRules,
  ) {}

  async renew({ slug, old, new: fresh }: SupporterRequest<'renewPush'>): Promise<PushRenewedView> {
    const org = await this.organisations.findBySlug(slug);
    const orgId = org._id.toHexString();
    const supporter = await this.supporters.findByKey(orgId, 'push', endpointHashOf(old.endpoint));
    const stored = supporter?.contacts?.push?.address;
    if (!supporter || !stored || !sameSubscription(stored, old)) throw new NotFound('no such push subscription', 'old');
    const verdict = await this.outbound.checkPushEndpoint(fresh.endpoint);
    if (!verdict.ok) throw new Invalid(verdict.reason, 'new.endpoint');
    if (!(await this.supporters.replaceContact(orgId, supporter._id, 'push', stored, channels.push.stored(fresh)))) throw new NotFound('no such push subscription', 'old');
    return { renewed: true };
  }
}

function sameSubscription(stored: StoredPushSubscription, given: { endpoint: string; keys: { p256dh: string; auth: string } }): boolean {
  return same(stored.endpoint, given.endpoint) && same(stored.keys.p256dh, given.keys.p256dh) && same(stored.keys.auth, given.keys.auth);
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
