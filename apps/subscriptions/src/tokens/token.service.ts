import { Injectable } from '@nestjs/common';
import { type Grant, type Principal, type TokenView } from '@clarion/contracts';
import { Conflict, Forbidden, NotFound, Unauthenticated } from '@clarion/errors';
import { CoalitionRepository } from '../coalitions/coalition.repository';
import { isDuplicateKey } from '../common/stored';
import type { DirectoryRequest } from '../common/requests';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { TokenRepository, type TokenScope } from './token.repository';
import { toPrincipal, toTokenView } from './token.view';

@Injectable()
export class TokenService {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly organisations: OrganisationRepository,
    private readonly coalitions: CoalitionRepository,
  ) {}

  /** The gateway's check of every API call: it sends the presented token's hash, never the token. */
  async resolve({ tokenHash }: DirectoryRequest<'resolveToken'>): Promise<Principal> {
    const found = await this.tokens.findActiveByHash(tokenHash);
    if (!found) throw new Unauthenticated('unknown or revoked token');
    return toPrincipal(found);
  }

  /** The gateway made the secret and gives it to the caller; this service learns only its hash. */
  async create({ actor, input, tokenHash }: DirectoryRequest<'createToken'>): Promise<TokenView> {
    assertMayGrant(actor, input.grant);
    await this.assertGrantTargetExists(input.grant);
    try {
      return toTokenView(await this.tokens.create({ name: input.name, hash: tokenHash, grant: input.grant }));
    } catch (error) {
      if (isDuplicateKey(error)) throw new Conflict('a token with this secret exists already: make a new secret');
      throw error;
    }
  }

  async list({ actor, orgId }: DirectoryRequest<'listTokens'>): Promise<TokenView[]> {
    return (await this.tokens.list(listScope(actor, orgId))).map(toTokenView);
  }

  async revoke({ actor, tokenId }: DirectoryRequest<'revokeToken'>): Promise<TokenView> {
    const token = await this.tokens.revoke(managedScope(actor), tokenId);
    if (!token) throw new NotFound('token not found', 'tokenId');
    return toTokenView(token);
  }

  private async assertGrantTargetExists(grant: Grant): Promise<void> {
    switch (grant.role) {
      case 'admin':
        return;
      case 'coordinator':
        if (!(await this.coalitions.exists(grant.coalitionId))) throw new NotFound('coalition not found', 'grant.coalitionId');
        return;
      case 'org_admin':
      case 'org_editor':
        if (!(await this.organisations.exists(grant.orgId))) throw new NotFound('organisation not found', 'grant.orgId');
    }
  }
}

/** The tokens an actor manages: all (admin) or its organisation's (org_admin); coordinators and editors none. */
function managedScope(actor: Principal): TokenScope {
  const { grant } = actor;
  if (grant.role === 'admin') return { network: true };
  if (grant.role === 'org_admin') return { orgId: grant.orgId };
  throw new Forbidden('only admins and organisation admins manage tokens');
}

/** Admins grant anything; an organisation's admin only its own organisation's roles. */
function assertMayGrant(actor: Principal, grant: Grant): void {
  const scope = managedScope(actor);
  if ('network' in scope) return;
  const ownOrgRole = (grant.role === 'org_admin' || grant.role === 'org_editor') && grant.orgId === scope.orgId;
  if (!ownOrgRole) throw new Forbidden('an organisation admin may grant only org_admin or org_editor of its own organisation', 'grant');
}

/** An admin may narrow the list to one organisation; an organisation's admin sees only its own. */
function listScope(actor: Principal, requestedOrgId: string | undefined): TokenScope {
  const scope = managedScope(actor);
  if (!requestedOrgId) return scope;
  if ('network' in scope) return { orgId: requestedOrgId };
  if (requestedOrgId !== scope.orgId) throw new Forbidden("an organisation admin may list only its own organisation's tokens", 'orgId');
  return scope;
}
