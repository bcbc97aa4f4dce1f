import { Injectable } from '@nestjs/common';
import { coordinates, isAdmin, type CoalitionSettingsView, type CoalitionView, type Principal } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import type { DirectoryRequest } from '../common/requests';
import { InvitationRepository } from '../memberships/invitation.repository';
import { MembershipRepository } from '../memberships/membership.repository';
import { CoalitionRepository } from './coalition.repository';
import type { CoalitionRecord } from './coalition.schema';
import { toCoalitionView } from './coalition.view';

@Injectable()
export class CoalitionService {
  constructor(
    private readonly coalitions: CoalitionRepository,
    private readonly memberships: MembershipRepository,
    private readonly invitations: InvitationRepository,
  ) {}

  async create({ actor, input }: DirectoryRequest<'createCoalition'>): Promise<CoalitionView> {
    if (!isAdmin(actor)) throw new Forbidden('only a network admin may create coalitions');
    return toCoalitionView(await this.coalitions.create(input));
  }

  async list({ actor }: DirectoryRequest<'listCoalitions'>): Promise<CoalitionView[]> {
    return (await this.visibleTo(actor)).map(toCoalitionView);
  }

  async get({ actor, coalitionId }: DirectoryRequest<'getCoalition'>): Promise<CoalitionView> {
    const coalition = (await this.maySee(actor, coalitionId)) ? await this.coalitions.findById(coalitionId) : null;
    if (!coalition) throw new NotFound('coalition not found', 'coalitionId');
    return toCoalitionView(coalition);
  }

  async settings({ coalitionId }: DirectoryRequest<'coalitionSettings'>): Promise<CoalitionSettingsView> {
    const coalition = await this.coalitions.findById(coalitionId);
    if (!coalition) throw new NotFound('coalition not found', 'coalitionId');
    return { coalitionId, requireSecondApproval: coalition.requireSecondApproval };
  }

  private async visibleTo(actor: Principal): Promise<CoalitionRecord[]> {
    const { grant } = actor;
    switch (grant.role) {
      case 'admin':
        return this.coalitions.listAll();
      case 'coordinator':
        return this.coalitions.listByIds([grant.coalitionId]);
      case 'org_admin':
      case 'org_editor':
        return this.coalitions.listByIds(await this.coalitionIdsOf(grant.orgId));
    }
  }

  /** Admins see all; a coordinator its own; an organisation those it belongs to or was invited to. */
  private async maySee(actor: Principal, coalitionId: string): Promise<boolean> {
    if (isAdmin(actor) || coordinates(actor, coalitionId)) return true;
    if (actor.grant.role !== 'org_admin' && actor.grant.role !== 'org_editor') return false;
    return (await this.coalitionIdsOf(actor.grant.orgId)).includes(coalitionId);
  }

  private async coalitionIdsOf(orgId: string): Promise<string[]> {
    const [member, invited] = await Promise.all([this.memberships.coalitionIdsOf(orgId), this.invitations.coalitionIdsOf(orgId)]);
    return [...new Set([...member, ...invited])];
  }
}
