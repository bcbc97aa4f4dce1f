import { z } from 'zod';
import { objectId } from './fields';

/**
 * Who is calling. Every API token carries exactly one grant; the gateway
 * resolves the token and passes the principal with every request, and each
 * service checks it against the resource it is asked about.
 */
export const grantSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('admin') }),
  z.strictObject({ role: z.literal('coordinator'), coalitionId: objectId }),
  z.strictObject({ role: z.literal('org_admin'), orgId: objectId }),
  z.strictObject({ role: z.literal('org_editor'), orgId: objectId }),
]);
export type Grant = z.infer<typeof grantSchema>;
export type Role = Grant['role'];

export const principalSchema = z.object({
  /** The API token, or for a person signed in to a console their account (docs/decisions/0025). */
  tokenId: objectId,
  name: z.string(),
  grant: grantSchema,
  /** Set when the caller is a person's console session rather than an API token. */
  sessionId: objectId.optional(),
});
export type Principal = z.infer<typeof principalSchema>;

export const isAdmin = (p: Principal) => p.grant.role === 'admin';
export const coordinates = (p: Principal, coalitionId: string) =>
  p.grant.role === 'coordinator' && p.grant.coalitionId === coalitionId;
/** Admin or editor of this organisation. */
export const worksFor = (p: Principal, orgId: string) =>
  (p.grant.role === 'org_admin' || p.grant.role === 'org_editor') && p.grant.orgId === orgId;
export const administers = (p: Principal, orgId: string) => p.grant.role === 'org_admin' && p.grant.orgId === orgId;

/** The actor field every RPC request carries. */
export const withActor = <T extends z.ZodRawShape>(shape: T) => z.object({ actor: principalSchema, ...shape });
