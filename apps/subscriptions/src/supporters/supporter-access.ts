import { administers, isAdmin, worksFor, type Principal } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';

/**
 * Who may touch an organisation's supporters. Someone outside the
 * organisation gets 404, so its existence does not leak; a role inside it
 * that may not take the action gets 403.
 */

/** Import and export: the organisation's admins, and network admins. */
export function assertMayManageSupporters(actor: Principal, orgId: string): void {
  if (isAdmin(actor) || administers(actor, orgId)) return;
  if (worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins may import or export its supporters");
  throw new NotFound('organisation not found', 'orgId');
}

/** Counts: the organisation's admins and editors, and network admins. */
export function assertMaySeeSupporterCounts(actor: Principal, orgId: string): void {
  if (isAdmin(actor) || worksFor(actor, orgId)) return;
  throw new NotFound('organisation not found', 'orgId');
}
