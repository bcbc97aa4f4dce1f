import { Injectable } from '@nestjs/common';
import { coordinates, isAdmin, worksFor, type InvitationView } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import type { DirectoryRequest } from '../common/requests';
import { InvitationRepository } from '../memberships/invitation.repository';
import { toInvitationView } from '../memberships/membership.view';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { CoalitionRepository } from './coalition.repository';

/** A coalition inviting an organisation; the invitations are memberships' records, as accepting one makes a membership. */
@Injectable()
export class InvitationService {
  constructor(
    private readonly invitations: InvitationRepository,
    private readonly coalitions: CoalitionRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  async create({ actor, coalitionId, input }: DirectoryRequest<'createInvitation'>): Promise<InvitationView> {
    if (!isAdmin(actor) && !coordinates(actor, coalitionId)) throw new Forbidden("only a network admin or the coalition's coordinator may invite");
    if (!(await this.coalitions.exists(coalitionId))) throw new NotFound('coalition not found', 'coalitionId');
    if (!(await this.organisations.exists(input.orgId))) throw new NotFound('organisation not found', 'orgId');
    return toInvitationView(await this.invitations.createOnce(coalitionId, input.orgId));
  }

  async list({ actor, orgId }: DirectoryRequest<'listInvitations'>): Promise<InvitationView[]> {
    if (!isAdmin(actor) && !worksFor(actor, orgId)) throw new Forbidden("only the organisation's own people may see its invitations");
    return (await this.invitations.listForOrg(orgId)).map(toInvitationView);
  }
}
