import { z } from 'zod';
import { grantSchema, principalSchema, withActor } from './access';
import { isoDate, objectId, plainText, tokenHash } from './fields';

/**
 * People who sign in to the consoles: one account is one email address with
 * one grant (the roles of access.ts); the same address may hold several
 * accounts (a coordinator who also edits for an organisation). Sign-in is by
 * a single-use link sent to the address; a session is a cookie whose secret
 * only its hash is stored of (docs/decisions/0025).
 */

export const accountEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .email('must be an email address');

/** The languages staff emails (and the consoles) are written in. */
export const staffLanguageSchema = z.enum(['en', 'fr']);
export type StaffLanguage = z.infer<typeof staffLanguageSchema>;

/** A magic-link secret, session secret or its hash: well-formed and bounded before anything is looked up. */
const linkSecret = z.string().min(20, 'must be the token from the sign-in link').max(200, 'must be the token from the sign-in link');

export const createAccountInput = z.strictObject({
  email: accountEmail,
  name: plainText(120),
  grant: grantSchema,
  language: staffLanguageSchema.default('en'),
});
export type CreateAccountInput = z.infer<typeof createAccountInput>;

export const accountView = z.object({
  accountId: objectId,
  email: z.string(),
  name: z.string(),
  grant: grantSchema,
  language: staffLanguageSchema,
  createdAt: isoDate,
  lastSignInAt: isoDate.optional(),
});
export type AccountView = z.infer<typeof accountView>;

export const listAccountsQuery = z.strictObject({ orgId: objectId.optional(), coalitionId: objectId.optional() });

// ---- sign-in (HTTP bodies and answers) -------------------------------------

export const signInLinkInput = z.strictObject({ email: accountEmail });
export const signInLinkSentView = z.object({ sent: z.literal(true) });
export const createSessionInput = z.strictObject({ token: linkSecret });

/** GET /auth/session: who is signed in, and the token every change must carry in X-CSRF-Token. */
export const sessionView = z.object({
  sessionId: objectId,
  account: z.object({ accountId: objectId, email: z.string(), name: z.string(), grant: grantSchema }),
  csrfToken: z.string(),
  expiresAt: isoDate,
});
export type SessionView = z.infer<typeof sessionView>;

/** One of my sessions (GET /auth/sessions). */
export const sessionSummaryView = z.object({
  sessionId: objectId,
  createdAt: isoDate,
  lastSeenAt: isoDate,
  expiresAt: isoDate,
  /** The session this request came with. */
  current: z.boolean(),
  revokedAt: isoDate.optional(),
});
export type SessionSummaryView = z.infer<typeof sessionSummaryView>;

// ---- bus (gateway → subscriptions) -------------------------------------------

/** What the gateway learns of a live session: the principal to act as, and what GET /auth/session shows. */
export const resolvedSessionView = z.object({
  principal: principalSchema,
  sessionId: objectId,
  account: sessionView.shape.account,
  expiresAt: isoDate,
});
export type ResolvedSessionView = z.infer<typeof resolvedSessionView>;

export const accountRequests = {
  /** Answered at once and the same whatever the address; the links go out afterwards. */
  requestSignIn: z.strictObject({ email: accountEmail }),
  /** The link's hash (used once) and the new session's hash: the gateway keeps both secrets. */
  openSession: z.strictObject({ linkHash: tokenHash, sessionHash: tokenHash }),
  resolveSession: z.strictObject({ sessionHash: tokenHash }),
  closeSession: z.strictObject({ sessionHash: tokenHash }),
  listSessions: withActor({}),
  revokeSession: withActor({ sessionId: objectId }),
  createAccount: withActor({ input: createAccountInput }),
  listAccounts: withActor({ orgId: objectId.optional(), coalitionId: objectId.optional() }),
  removeAccount: withActor({ accountId: objectId }),
} as const;

export const closedSessionView = z.object({ closed: z.boolean() });

// ---- staff emails (subscriptions → delivery) -----------------------------------

const reviewFacts = {
  orgId: objectId,
  orgName: z.string(),
  relayId: objectId,
  alertTitle: z.string(),
  deadline: isoDate,
  onDeadline: z.enum(['approve', 'drop']),
};

/**
 * What a staff email says, by kind. Delivery builds the links from its
 * PUBLIC_BASE_URL; the sign-in secret rides in `token` and ends up only in
 * the link's fragment. Never supporter data: ids, names and titles only.
 */
export const staffMessageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sign-in'), token: z.string().min(20).max(200) }),
  z.object({ kind: z.literal('invitation'), token: z.string().min(20).max(200), invitedBy: z.string(), role: z.enum(['admin', 'coordinator', 'org_admin', 'org_editor']), scopeName: z.string().optional() }),
  z.object({ kind: z.literal('review-waiting'), ...reviewFacts }),
  z.object({ kind: z.literal('review-reminder'), ...reviewFacts }),
  z.object({ kind: z.literal('approval-waiting'), coalitionId: objectId, coalitionName: z.string(), alertId: objectId, alertTitle: z.string(), requestedBy: z.string() }),
]);
export type StaffMessage = z.infer<typeof staffMessageSchema>;

/** `delivery.jobs.staff-email.v1`: one email to one account, through the network's SMTP server. */
export const staffEmailV1 = z.object({
  eventId: z.string().min(8).max(200),
  occurredAt: isoDate,
  accountId: objectId,
  to: z.string(),
  name: z.string(),
  language: staffLanguageSchema,
  message: staffMessageSchema,
});
export type StaffEmail = z.infer<typeof staffEmailV1>;
