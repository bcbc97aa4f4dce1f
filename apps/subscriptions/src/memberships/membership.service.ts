import { Injectable } from '@nestjs/common';
import { administers, isAdmin, worksFor, type MembershipView, type Principal } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import type { DirectoryRequest } from '../common/requests';
import { InvitationRepository } from './invitation.repository';
import { MembershipRepository } from './membership.repository';
import { toMembershipView } from './membership.view';

@Injectable()
export class MembershipService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly invitations: InvitationRepository,
  ) {}

  /** Joining a coalition: the organisation's own admin accepts an invitation. */
  async create({ actor, orgId, input }: DirectoryRequest<'createMembership'>): Promise<MembershipView> {
    assertAdministers(actor, orgId);
    const invitation = await this.invitations.find(input.coalitionId, orgId);
    if (!invitation) throw new Forbidden('not invited to this coalition', 'coalitionId');
    const membership = await this.memberships.create({ orgId, ...input });
    await this.invitations.markAccepted(input.coalitionId, orgId);
    return toMembershipView(membership);
  }

  async list({ actor, orgId }: DirectoryRequest<'listMemberships'>): Promise<MembershipView[]> {
    if (!isAdmin(actor) && !worksFor(actor, orgId)) throw new Forbidden("only the organisation's own people may see its memberships");
    return (await this.memberships.listForOrg(orgId)).map(toMembershipView);
  }

  async update({ actor, orgId, membershipId, input }: DirectoryRequest<'updateMembership'>): Promise<MembershipView> {
    assertAdministers(actor, orgId);
    const membership = await this.memberships.update(orgId, membershipId, input);
    if (!membership) throw new NotFound('membership not found', 'membershipId');
    return toMembershipView(membership);
  }

  /** Leaving a coalition; answers with the membership as it was. */
  async delete({ actor, orgId, membershipId }: DirectoryRequest<'deleteMembership'>): Promise<MembershipView> {
    assertAdministers(actor, orgId);
    const membership = await this.memberships.delete(orgId, membershipId);
    if (!membership) throw new NotFound('membership not found', 'membershipId');
    return toMembershipView(membership);
  }
}

function assertAdministers(actor: Principal, orgId: string): void {
  if (!administers(actor, orgId)) throw new Forbidden("only the organisation's admin may manage its memberships");
}
