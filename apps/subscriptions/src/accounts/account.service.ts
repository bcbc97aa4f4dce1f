import { Injectable, Logger } from '@nestjs/common';
import { isAdmin, type AccountView, type Grant, type Principal } from '@clarion/contracts';
import { Conflict, Forbidden, NotFound } from '@clarion/errors';
import { CoalitionRepository } from '../coalitions/coalition.repository';
import type { AccountRequest } from '../common/requests';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { AccountRepository, type AccountScope } from './account.repository';
import type { AccountRecord } from './account.schema';
import { SignInService } from './sign-in.service';
import { StaffMail } from './staff-mail';

/** An invitation's sign-in link waits longer than one asked for: the invitee may read it the next day. */
export const INVITATION_LINK_TTL_MS = 72 * 60 * 60_000;

/**
 * Who may invite (and list, and remove) whom: the network admin anyone; a
 * coordinator the coordinators of their own coalition; an organisation's
 * admin the admins and editors of their own organisation; nobody else.
 */
export function mayManage(actor: Principal, grant: Grant): boolean {
  switch (actor.grant.role) {
    case 'admin':
      return true;
    case 'coordinator':
      return grant.role === 'coordinator' && grant.coalitionId === actor.grant.coalitionId;
    case 'org_admin':
      return (grant.role === 'org_admin' || grant.role === 'org_editor') && grant.orgId === actor.grant.orgId;
    default:
      return false;
  }
}

/** The accounts an actor manages, narrowed by what they asked for; Forbidden outside their reach. */
function manageableScope(actor: Principal, asked: { orgId?: string; coalitionId?: string } = {}): AccountScope {
  const { grant } = actor;
  if (asked.orgId && asked.coalitionId) throw new Forbidden('list by organisation or by coalition, not both', 'orgId');
  if (isAdmin(actor)) return asked.orgId ? { orgId: asked.orgId } : asked.coalitionId ? { coalitionId: asked.coalitionId } : { network: true };
  if (grant.role === 'coordinator' && !asked.orgId && (!asked.coalitionId || asked.coalitionId === grant.coalitionId)) return { coalitionId: grant.coalitionId };
  if (grant.role === 'org_admin' && !asked.coalitionId && (!asked.orgId || asked.orgId === grant.orgId)) return { orgId: grant.orgId };
  throw new Forbidden('you may only see and manage the accounts of your own coalition or organisation');
}

export const toAccountView = (account: AccountRecord): AccountView => ({
  accountId: account._id.toHexString(),
  email: account.email,
  name: account.name,
  grant: account.grant,
  language: account.language,
  createdAt: account.createdAt.toISOString(),
  ...(account.lastSignInAt ? { lastSignInAt: account.lastSignInAt.toISOString() } : {}),
});

/** Invitations of people: an account and an email with a sign-in link. */
@Injectable()
export class AccountService {
  private readonly logger = new Logger(AccountService.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly organisations: OrganisationRepository,
    private readonly coalitions: CoalitionRepository,
    private readonly signIn: SignInService,
    private readonly mail: StaffMail,
  ) {}

  async create({ actor, input }: AccountRequest<'createAccount'>): Promise<AccountView> {
    if (!mayManage(actor, input.grant)) throw new Forbidden('you may not invite someone with this role here', 'grant');
    const scopeName = await this.scopeName(input.grant);
    if (await this.accounts.existsWithGrant(input.email, input.grant)) throw new Conflict('this address already has an account with this role', 'email');
    const account = await this.accounts.create({ ...input, invitedBy: actor.tokenId });
    const token = await this.signIn.issueLink(account, INVITATION_LINK_TTL_MS);
    const accountId = account._id.toHexString();
    await this.mail.send(account, { kind: 'invitation', token, invitedBy: actor.name, role: input.grant.role, ...(scopeName ? { scopeName } : {}) }, accountId);
    this.logger.log({ accountId, role: input.grant.role, invitedBy: actor.tokenId }, 'account invited');
    return toAccountView(account);
  }

  async list({ actor, orgId, coalitionId }: AccountRequest<'listAccounts'>): Promise<AccountView[]> {
    return (await this.accounts.list(manageableScope(actor, { orgId, coalitionId }))).map(toAccountView);
  }

  /** Removes the account and ends its sessions at once (the gateway's cache lets one last for seconds at most). */
  async remove({ actor, accountId }: AccountRequest<'removeAccount'>): Promise<AccountView> {
    const removed = await this.accounts.remove(manageableScope(actor), accountId);
    if (!removed) throw new NotFound('account not found', 'accountId');
    this.logger.log({ accountId, removedBy: actor.tokenId }, 'account removed');
    return toAccountView(removed);
  }

  /** The organisation or coalition the grant names, which must exist (404 naming the field). */
  private async scopeName(grant: Grant): Promise<string | undefined> {
    switch (grant.role) {
      case 'admin':
        return undefined;
      case 'coordinator': {
        const coalition = await this.coalitions.findById(grant.coalitionId);
        if (!coalition) throw new NotFound('coalition not found', 'grant.coalitionId');
        return coalition.name;
      }
      case 'org_admin':
      case 'org_editor': {
        const org = await this.organisations.findById(grant.orgId);
        if (!org) throw new NotFound('organisation not found', 'grant.orgId');
        return org.name;
      }
    }
  }
}
