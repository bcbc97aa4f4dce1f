import { Injectable } from '@nestjs/common';
import type { PublicOrganisationView } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { CoalitionRepository } from '../coalitions/coalition.repository';
import { MembershipRepository } from '../memberships/membership.repository';
import { OrganisationRepository } from '../organisations/organisation.repository';
import type { OrganisationRecord } from '../organisations/organisation.schema';
import { SenderIdentityService } from '../sender-identity/sender-identity.service';
import { toPublicOrganisationView } from './supporter.view';

/** The organisation as its supporters' pages show it, with the VAPID public key browsers subscribe with. */
@Injectable()
export class PublicOrganisationService {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly senders: SenderIdentityService,
    private readonly memberships: MembershipRepository,
    private readonly coalitions: CoalitionRepository,
  ) {}

  async findBySlug(slug: string): Promise<OrganisationRecord> {
    const org = await this.organisations.findBySlug(slug);
    if (!org) throw new NotFound('organisation not found', 'slug');
    return org;
  }

  async findById(orgId: string): Promise<OrganisationRecord> {
    const org = await this.organisations.findById(orgId);
    if (!org) throw new NotFound('organisation not found', 'orgId');
    return org;
  }

  async view(org: OrganisationRecord): Promise<PublicOrganisationView> {
    const orgId = org._id.toHexString();
    const keys = await this.senders.ensureKeys(orgId);
    const topics = await this.topics(orgId);
    // The organisation may offer fewer topics than its coalitions have (its branding); never others.
    const offered = org.joinTopics ? topics.filter((topic) => org.joinTopics!.includes(topic.id)) : topics;
    return toPublicOrganisationView(org, keys.vapidPublicKey, offered);
  }

  /** The topics of every coalition the organisation belongs to; a topic two coalitions share is listed once, as the first names it. */
  private async topics(orgId: string): Promise<PublicOrganisationView['topics']> {
    const coalitionIds = await this.memberships.coalitionIdsOf(orgId);
    if (coalitionIds.length === 0) return [];
    const byId = new Map<string, PublicOrganisationView['topics'][number]>();
    for (const coalition of await this.coalitions.listByIds(coalitionIds)) {
      for (const topic of coalition.topics ?? []) if (!byId.has(topic.id)) byId.set(topic.id, topic);
    }
    return [...byId.values()];
  }
}
