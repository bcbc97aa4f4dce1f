import { Injectable } from '@nestjs/common';
import { administers, isAdmin, worksFor, type OrganisationView, type Principal } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import type { DirectoryRequest } from '../common/requests';
import { MembershipRepository } from '../memberships/membership.repository';
import { OrganisationCreated } from './organisation-created';
import { OrganisationRepository } from './organisation.repository';
import type { OrganisationRecord } from './organisation.schema';
import { toOrganisationView } from './organisation.view';

@Injectable()
export class OrganisationService {
  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly memberships: MembershipRepository,
    private readonly created: OrganisationCreated,
  ) {}

  async create({ actor, input }: DirectoryRequest<'createOrganisation'>): Promise<OrganisationView> {
    if (!isAdmin(actor)) throw new Forbidden('only a network admin may create organisations');
    const org = await this.organisations.create(input);
    await this.created.announce(org._id.toHexString());
    return toOrganisationView(org);
  }

  async list({ actor }: DirectoryRequest<'listOrganisations'>): Promise<OrganisationView[]> {
    return (await this.visibleTo(actor)).map(toOrganisationView);
  }

  async get({ actor, orgId }: DirectoryRequest<'getOrganisation'>): Promise<OrganisationView> {
    const org = (await this.maySee(actor, orgId)) ? await this.organisations.findById(orgId) : null;
    if (!org) throw new NotFound('organisation not found', 'orgId');
    return toOrganisationView(org);
  }

  /** Branding as supporters see it: its own admins and the network admin; the sender name is the sender screen's. */
  async update({ actor, orgId, input }: DirectoryRequest<'updateOrganisation'>): Promise<OrganisationView> {
    if (!isAdmin(actor) && !administers(actor, orgId)) throw new Forbidden("only the organisation's admins and the network admin may change its branding");
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    if (input.name !== undefined) set.name = input.name;
    if (input.colour !== undefined) set['branding.colour'] = input.colour;
    if (input.logoUrl === null) unset.push('branding.logoUrl');
    else if (input.logoUrl !== undefined) set['branding.logoUrl'] = input.logoUrl;
    if (input.joinTopics === null) unset.push('joinTopics');
    else if (input.joinTopics !== undefined) set.joinTopics = input.joinTopics;
    const org = await this.organisations.update(orgId, set, unset);
    if (!org) throw new NotFound('organisation not found', 'orgId');
    return toOrganisationView(org);
  }

  private async visibleTo(actor: Principal): Promise<OrganisationRecord[]> {
    const { grant } = actor;
    switch (grant.role) {
      case 'admin':
        return this.organisations.listAll();
      case 'coordinator':
        return this.organisations.listByIds(await this.memberships.orgIdsInCoalition(grant.coalitionId));
      case 'org_admin':
      case 'org_editor':
        return this.organisations.listByIds([grant.orgId]);
    }
  }

  /** Admins see all; an organisation sees itself; a coordinator sees its coalition's members. */
  private async maySee(actor: Principal, orgId: string): Promise<boolean> {
    if (isAdmin(actor) || worksFor(actor, orgId)) return true;
    return actor.grant.role === 'coordinator' && this.memberships.isMember(actor.grant.coalitionId, orgId);
  }
}
