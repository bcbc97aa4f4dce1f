import { Injectable } from '@nestjs/common';
import type { PublicOrganisationView } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { OrganisationRepository } from '../organisations/organisation.repository';
import type { OrganisationRecord } from '../organisations/organisation.schema';
import { SenderIdentityService } from '../sender-identity/sender-identity.service';
import { PublicOrganisationRepository } from './public-organisation.repository';
import { toPublicOrganisationView } from './supporter.view';

/** The organisation as its supporters' pages show it, with the VAPID public key browsers subscribe with. */
@Injectable()
export class PublicOrganisationService {
  constructor(
    private readonly bySlug: PublicOrganisationRepository,
    private readonly organisations: OrganisationRepository,
    private readonly senders: SenderIdentityService,
  ) {}

  async findBySlug(slug: string): Promise<OrganisationRecord> {
    const org = await this.bySlug.findBySlug(slug);
    if (!org) throw new NotFound('organisation not found', 'slug');
    return org;
  }

  async findById(orgId: string): Promise<OrganisationRecord> {
    const org = await this.organisations.findById(orgId);
    if (!org) throw new NotFound('organisation not found', 'orgId');
    return org;
  }

  async view(org: OrganisationRecord): Promise<PublicOrganisationView> {
    const keys = await this.senders.ensureKeys(org._id.toHexString());
    return toPublicOrganisationView(org, keys.vapidPublicKey);
  }
}
