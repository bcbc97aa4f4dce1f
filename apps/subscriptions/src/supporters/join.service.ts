import { Injectable } from '@nestjs/common';
import {
  deliveryChannelSchema,
  eventSubjects,
  type ConfirmEmailResultView,
  type JoinInput,
  type JoinResultView,
  type PublicOrganisationView,
} from '@clarion/contracts';
import { Invalid } from '@clarion/errors';
import { EventPublisher } from '@clarion/messaging';
import { OutboundRules } from '@clarion/security';
import type { OrganisationRecord } from '../organisations/organisation.schema';
import { ConsentRepository } from './consent.repository';
import { PublicOrganisationService } from './public-organisation.service';
import { SupporterLinks } from './supporter-links';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from './supporter.requests';
import { endpointHashOf, type SupporterRecord } from './supporter.schema';

/**
 * The join page: an address waits for its confirmation link (double opt-in);
 * a browser's push subscription is active at once, as the browser's own
 * permission prompt was the opt-in.
 */
@Injectable()
export class JoinService {
  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
    private readonly links: SupporterLinks,
    private readonly events: EventPublisher,
    private readonly outbound: OutboundRules,
  ) {}

  async publicOrganisation({ slug }: SupporterRequest<'publicOrganisation'>): Promise<PublicOrganisationView> {
    return this.organisations.view(await this.organisations.findBySlug(slug));
  }

  async join({ slug, input, consent }: SupporterRequest<'join'>): Promise<JoinResultView> {
    const org = await this.organisations.findBySlug(slug);
    if (input.push) await this.assertSendable(input.push.endpoint);
    const orgId = org._id.toHexString();
    const push = input.push && { endpoint: input.push.endpoint, keys: input.push.keys, endpointHash: endpointHashOf(input.push.endpoint) };
    const supporter = await this.supporters.findOrCreateForJoin(orgId, { email: input.email, push, language: input.language, topics: input.topics });
    const supporterId = supporter._id.toHexString();

    const given = deliveryChannelSchema.options.filter((channel) => input[channel] !== undefined);
    const at = new Date();
    await this.consents.append(given.map((channel) => ({ supporterId, orgId, channel, action: 'granted', method: 'join-page', at, ...consent })));

    const emailState = input.email ? await this.askConfirmation(org, supporter, input) : undefined;
    return { supporterId, ...(emailState ? { emailState } : {}), ...(input.push ? { pushState: 'active' } : {}) };
  }

  async confirmEmail({ token, consent }: SupporterRequest<'confirmEmail'>): Promise<ConfirmEmailResultView> {
    const { supporterId, orgId } = this.links.confirmed(token);
    const confirmed = await this.supporters.changeEmailState(orgId, supporterId, ['pending'], 'active');
    if (confirmed) {
      await this.consents.append([{ supporterId, orgId, channel: 'email', action: 'confirmed', method: 'email-confirmation', at: new Date(), ...consent }]);
    }
    // Already active is a second click on the same link. Anything else left the list since: a link never resubscribes.
    const supporter = await this.supporters.findInOrg(orgId, supporterId);
    if (supporter?.emailState !== 'active') throw new Invalid('this confirmation link is no longer valid; join again to subscribe', 'token');
    return { supporterId, emailState: 'active', org: await this.organisations.view(await this.organisations.findById(orgId)) };
  }

  /** Only the local push service and allow-listed origins may be plain http, private or on another port than 443. */
  private async assertSendable(endpoint: string): Promise<void> {
    const verdict = await this.outbound.checkPushEndpoint(endpoint);
    if (!verdict.ok) throw new Invalid(verdict.reason, 'push.endpoint');
  }

  /** An active address stays active; otherwise it is pending again and gets a fresh confirmation link. */
  private async askConfirmation(org: OrganisationRecord, supporter: SupporterRecord, input: JoinInput): Promise<'pending' | 'active'> {
    const pending = await this.supporters.requestConfirmation(supporter.orgId, supporter._id, { language: input.language, topics: input.topics });
    if (!pending?.email) return 'active';
    const supporterId = pending._id.toHexString();
    // One event per confirmation asked for: a join that is retried after a failed publish sends a new one, a repeated publish of this one is dropped.
    const eventId = `confirm:${supporterId}:${pending.confirmationRequests}`;
    const { name, slug, branding } = org;
    await this.events.publish(
      eventSubjects.confirmationEmail,
      {
        eventId,
        occurredAt: new Date().toISOString(),
        orgId: supporter.orgId,
        org: { name, slug, senderName: branding.senderName, colour: branding.colour, ...(branding.logoUrl ? { logoUrl: branding.logoUrl } : {}) },
        supporterId,
        email: pending.email,
        language: pending.language,
        confirmUrl: this.links.confirmUrl({ supporterId, orgId: supporter.orgId }),
      },
      { msgId: eventId },
    );
    return 'pending';
  }
}
