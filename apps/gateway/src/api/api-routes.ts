import { z } from 'zod';
import {
  senderDkimView,
  capRpc,
  capFeedSettingsView,
  setCapFeedInput,
  accountView,
  alertRpc,
  alertView,
  createAccountInput,
  createSessionInput,
  listAccountsQuery,
  sessionSummaryView,
  sessionView,
  signInLinkInput,
  signInLinkSentView,
  type SessionView,
  approveRelayInput,
  alertRelayView,
  deliveryFailuresView,
  FAILURES_LIMIT,
  cancelAlertInput,
  coalitionView,
  coordinates,
  createAlertInput,
  createCoalitionInput,
  createInvitationInput,
  createMembershipInput,
  createOrganisationInput,
  createTokenInput,
  createdTokenView,
  erasureView,
  exportedSupporterView,
  importResultView,
  invitationView,
  membershipView,
  organisationView,
  relayCountsView,
  relayView,
  resendFailedView,
  senderSmtpView,
  supporterCountsView,
  supporterEmail,
  supporterExportView,
  supporterSearchView,
  tokenView,
  declineRelayInput,
  deliveryRpc,
  directoryRpc,
  idempotencyKey,
  isAdmin,
  objectId,
  publishAlertInput,
  relayRpc,
  messagePreviewsView,
  updateOrganisationInput,
  alertChangesView,
  type RelayContent,
  relayStatusSchema,
  senderDkimInput,
  senderSmtpInput,
  supporterRpc,
  updateAlertInput,
  updateMembershipInput,
  worksFor,
  createWebhookInput,
  rotateWebhookSecretInput,
  updateWebhookInput,
  webhookRpc,
  webhookDeliveryView,
  webhookEndpointView,
  webhookSecretView,
  type CreatedTokenView,
} from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import { hashTokenSecret, newTokenSecret, sealSmtpUrl } from '@clarion/security';
import { newSessionSecret, csrfTokenFor } from '../auth/session-cookie';
import { coalitionProgress, organisationProgress } from '../progress/progress-views';
import { smsIntakeRulesOf } from '../public/contact-intake';
import { streamSupporterExport } from '../supporters/supporter-export';
import { eraseSupporter, exportSupporter } from '../supporters/supporter-rights';
import { route, type ApiRoute, type RouteSession } from './api-route';

/** The CSV import's size limit, the same as the contract's for `importCsv`. */
const IMPORT_LIMIT = '5mb';

/** Bound on one CSV import over NATS (checking and bulk-writing up to 5 MB of rows). */
const IMPORT_TIMEOUT_MS = 60_000;

/** Delivery caches sender identities (SENDER_IDENTITY_TTL_MS): a change applies to batches sent after that. */
const SENDER_DKIM_NOTES =
  'Clarion makes an RSA 2048 key; only the delivery service can read its private half. Publish `current.txt` as a DNS TXT ' +
  'record named `current.dnsName`; email is signed from then on (within `SENDER_IDENTITY_TTL_MS`), so publish it first ' +
  'if you can, or right away. Use the domain of your From address (your own SMTP `from`) for DMARC alignment. Making a ' +
  'key again rotates it: a new selector, the old record listed as `previous`; keep that one published a few days.';

const SENDER_SMTP_NOTES =
  '`url` is smtp:// (STARTTLS when the server offers it) or smtps://, with a host and optionally a port and ' +
  'percent-encoded user and password, e.g. `smtps://alerts%40example.org:secret@mail.example.org:465`; no path or query; ' +
  'at most 500 characters. `from` is the sender address; the display name stays the organisation’s sender name. The ' +
  'password is sealed to the delivery service’s key as it arrives here: only delivery can read it, and no answer repeats it. ' +
  'Confirmation emails and relayed alerts both go this way. Delivery ' +
  'keeps each organisation’s sender settings for up to a minute (its `SENDER_IDENTITY_TTL_MS`), so a change applies to the ' +
  'batches sent after that; messages already being sent finish the way they started.';

const RESEND_SUMMARY =
  'Send again, once, the deliveries whose attempts ran out (failed); sent, suppressed and expired ones are left alone, and ' +
  'supporters are reached with their consent as it is now. A repeat before the resend was tried resends nothing more.';

/** The ids of a preview's sample relay, alert and organisation: none exists, so none of its links leads anywhere. */
const SAMPLE_ID = '000000000000000000000000';
/** An organisation's default colour (createOrganisationInput), which a coalition's preview shows. */
const PREVIEW_COLOUR = '#1f4e79';

const ids = <K extends string>(...names: K[]) => z.object(Object.fromEntries(names.map((n) => [n, objectId])) as Record<K, typeof objectId>);

const WEBHOOK_NOTES =
  'Each event is posted as JSON `{ type, timestamp, data }`, signed as the Standard Webhooks specification says: headers ' +
  '`webhook-id` (the same on every attempt: drop a repeat), `webhook-timestamp` (Unix seconds) and `webhook-signature` ' +
  '(`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, one per secret in use, space-separated). The URL must be https on port 443 ' +
  'to a public address (as a push endpoint); at most 2000 characters. A post not answered 2xx within the timeout is tried again ' +
  'with growing waits (WEBHOOK_RETRY_BACKOFF_MS), then marked failed in the delivery log. The secret (`whsec_…`) is shown once, ' +
  'in the answer to create and to rotate-secret.';

const SIGN_IN_NOTES =
  'Answers 202 `{ sent: true }` whatever the address, so nobody learns who has an account. Each account of the address gets ' +
  'an email with a link `<PUBLIC_BASE_URL>/console/sign-in#token=<secret>` that works once, for 15 minutes; at most three ' +
  'open links per account. Counted as a public write (PUBLIC_WRITES_PER_MINUTE per client address).';

const SESSION_NOTES =
  'Sets the session cookie `clarion_session` (HttpOnly, Secure, SameSite=Strict, Path=/). With the cookie, every change ' +
  '(POST, PUT, PATCH, DELETE) must carry `X-CSRF-Token: <csrfToken>` and an `Origin` of the console’s own origin, else 403. ' +
  'A session ends after SESSION_IDLE_MS without a request, and SESSION_MAX_AGE_MS after sign-in at the latest.';

/** What GET /auth/session shows of the caller's own session. */
function sessionAnswer(session: RouteSession, resolved: { sessionId: string; account: SessionView['account']; expiresAt: string }): SessionView {
  return { sessionId: resolved.sessionId, account: resolved.account, csrfToken: csrfTokenFor(session.secret), expiresAt: resolved.expiresAt };
}

/** Every REST endpoint of /api/v1. Read top to bottom, this is the API. */
export const apiRoutes: ApiRoute[] = [
  // ---- sign-in for people (the consoles) ----
  route({
    method: 'post', path: '/auth/sign-in-links', tag: 'auth', status: 202, authentication: 'public', body: signInLinkInput,
    operationId: 'requestSignInLink', response: signInLinkSentView,
    summary: 'Email a sign-in link to each account of this address',
    description: SIGN_IN_NOTES,
    handle: ({ rpc, body }) => rpc.request(directoryRpc.requestSignIn, body),
  }),
  route({
    method: 'post', path: '/auth/sessions', tag: 'auth', status: 201, authentication: 'public', body: createSessionInput,
    operationId: 'createSession', response: sessionView,
    summary: 'Sign in with the token of a sign-in link (used once); sets the session cookie',
    description: `${SESSION_NOTES} A used, expired or unknown token answers 401.`,
    // The session's secret is made here and only its hash crosses the bus, as for API tokens.
    handle: async ({ rpc, body, cookie }): Promise<SessionView> => {
      const secret = newSessionSecret();
      const opened = await rpc.request(directoryRpc.openSession, { linkHash: hashTokenSecret(body.token), sessionHash: hashTokenSecret(secret) });
      cookie.set(secret, new Date(opened.expiresAt));
      return sessionAnswer({ secret, sessionId: opened.sessionId }, opened);
    },
  }),
  route({
    method: 'get', path: '/auth/session', tag: 'auth', authentication: 'session',
    operationId: 'getSession', response: sessionView,
    summary: 'Who is signed in, and the CSRF token every change must carry; 401 when not signed in',
    handle: async ({ session, sessions }): Promise<SessionView> => sessionAnswer(session!, await sessions.resolve(session!.secret)),
  }),
  route({
    method: 'delete', path: '/auth/session', tag: 'auth', status: 204, authentication: 'session',
    operationId: 'signOut',
    summary: 'Sign out: ends this session and clears its cookie',
    handle: async ({ rpc, session, sessions, cookie }) => {
      await rpc.request(directoryRpc.closeSession, { sessionHash: hashTokenSecret(session!.secret) });
      sessions.forget(session!.secret);
      cookie.clear();
    },
  }),
  route({
    method: 'get', path: '/auth/sessions', tag: 'auth', authentication: 'session',
    operationId: 'listMySessions', response: z.array(sessionSummaryView),
    summary: 'My live sessions (every browser I am signed in with)',
    handle: async ({ rpc, actor, session }) =>
      (await rpc.request(directoryRpc.listSessions, { actor })).map((s) => ({ ...s, current: s.sessionId === session!.sessionId })),
  }),
  route({
    method: 'delete', path: '/auth/sessions/:sessionId', tag: 'auth', status: 204, authentication: 'session', params: ids('sessionId'),
    operationId: 'revokeMySession',
    summary: 'End one of my sessions (another browser); within seconds it is refused everywhere',
    handle: async ({ rpc, actor, params, session, sessions, cookie }) => {
      const { closed } = await rpc.request(directoryRpc.revokeSession, { actor, ...params });
      if (!closed) throw new NotFound('session not found', 'sessionId');
      if (params.sessionId === session!.sessionId) {
        sessions.forget(session!.secret);
        cookie.clear();
      }
    },
  }),

  // ---- accounts (people) ----
  route({
    method: 'post', path: '/accounts', tag: 'accounts', status: 201, body: createAccountInput,
    operationId: 'createAccount', response: accountView,
    summary: 'Invite a person: an account with one role, and an email with a sign-in link',
    description:
      'Who may invite whom: the network admin anyone; a coordinator other coordinators of their own coalition; an ' +
      'organisation admin admins and editors of their own organisation (403 naming `grant` otherwise). The invitation’s ' +
      'link works once, for three days. The same address may hold several accounts, one per role; the same role twice answers 409.',
    handle: ({ rpc, actor, body }) => rpc.request(directoryRpc.createAccount, { actor, input: body }),
  }),
  route({
    method: 'get', path: '/accounts', tag: 'accounts', query: listAccountsQuery,
    operationId: 'listAccounts', response: z.array(accountView),
    summary: 'The accounts I manage (admins: all, or by orgId or coalitionId; coordinators: their coalition’s; organisation admins: their organisation’s)',
    handle: ({ rpc, actor, query }) => rpc.request(directoryRpc.listAccounts, { actor, ...query }),
  }),
  route({
    method: 'delete', path: '/accounts/:accountId', tag: 'accounts', params: ids('accountId'),
    operationId: 'removeAccount', response: accountView,
    summary: 'Remove an account; its sessions end and its sign-in links stop working',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.removeAccount, { actor, ...params }),
  }),

  // ---- tokens ----
  route({
    method: 'post', path: '/tokens', operationId: 'createToken', response: createdTokenView, tag: 'tokens', status: 201, body: createTokenInput,
    summary: 'Create an API token with one role; the secret is in this response only',
    // The secret is made here and only its hash crosses the bus: subscriptions never knows it.
    handle: async ({ rpc, actor, body }): Promise<CreatedTokenView> => {
      const token = newTokenSecret();
      const created = await rpc.request(directoryRpc.createToken, { actor, input: body, tokenHash: hashTokenSecret(token) });
      return { ...created, token };
    },
  }),
  route({
    method: 'get', path: '/tokens', operationId: 'listTokens', response: z.array(tokenView), tag: 'tokens', query: z.strictObject({ orgId: objectId.optional() }),
    summary: 'List tokens (admins: all; organisation admins: their organisation’s)',
    handle: ({ rpc, actor, query }) => rpc.request(directoryRpc.listTokens, { actor, ...query }),
  }),
  route({
    method: 'delete', path: '/tokens/:tokenId', operationId: 'revokeToken', response: tokenView, tag: 'tokens', params: ids('tokenId'),
    summary: 'Revoke a token',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.revokeToken, { actor, ...params }),
  }),

  // ---- organisations ----
  route({
    method: 'post', path: '/organisations', operationId: 'createOrganisation', response: organisationView, tag: 'organisations', status: 201, body: createOrganisationInput,
    summary: 'Create a member organisation (network admin)',
    handle: ({ rpc, actor, body }) => rpc.request(directoryRpc.createOrganisation, { actor, input: body }),
  }),
  route({
    method: 'get', path: '/organisations', operationId: 'listOrganisations', response: z.array(organisationView), tag: 'organisations',
    summary: 'List the organisations the caller may see',
    handle: ({ rpc, actor }) => rpc.request(directoryRpc.listOrganisations, { actor }),
  }),
  route({
    method: 'patch', path: '/organisations/:orgId', operationId: 'updateOrganisation', response: organisationView, tag: 'organisations', params: ids('orgId'), body: updateOrganisationInput,
    summary: 'Change the organisation’s name, colour, logo (https; null removes it) or the topics its join page offers (null: all of its coalitions’); its admins and the network admin',
    handle: ({ rpc, actor, params, body }) => rpc.request(directoryRpc.updateOrganisation, { actor, ...params, input: body }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId', operationId: 'getOrganisation', response: organisationView, tag: 'organisations', params: ids('orgId'),
    summary: 'One organisation',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.getOrganisation, { actor, ...params }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/sender/smtp', operationId: 'getSenderSmtp', response: senderSmtpView, tag: 'organisations', params: ids('orgId'),
    summary: 'The organisation’s own SMTP server, if it set one: `{ orgId, smtp: { host, port, secure, user?, from } | null }`, never the password (its admins)',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.getSenderSmtp, { actor, ...params }),
  }),
  route({
    method: 'put', path: '/organisations/:orgId/sender/smtp', operationId: 'setSenderSmtp', response: senderSmtpView, tag: 'organisations', params: ids('orgId'), body: senderSmtpInput,
    summary: 'Send this organisation’s email through its own SMTP server, from its own address (its admins, the network admin)',
    description: SENDER_SMTP_NOTES,
    // The password is sealed to delivery's key before the request leaves the gateway (docs/decisions/0020).
    handle: ({ rpc, actor, params, body, sealer }) =>
      rpc.request(directoryRpc.setSenderSmtp, { actor, ...params, input: { ...sealSmtpUrl(sealer, params.orgId, body.url), from: body.from } }),
  }),
  route({
    method: 'delete', path: '/organisations/:orgId/sender/smtp', operationId: 'clearSenderSmtp', response: senderSmtpView, tag: 'organisations', params: ids('orgId'),
    summary: 'Back to the network’s SMTP server and address, still in the organisation’s sender name; answers `{ orgId, smtp: null }`',
    description: SENDER_SMTP_NOTES,
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.clearSenderSmtp, { actor, ...params }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/sender/dkim', operationId: 'getSenderDkim', response: senderDkimView, tag: 'organisations', params: ids('orgId'),
    summary: 'The organisation’s DKIM signing: `{ orgId, dkim: { domain, algorithm, current, previous? } | null }`, each key with the DNS TXT record to publish (its admins)',
    description: SENDER_DKIM_NOTES,
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.getSenderDkim, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/organisations/:orgId/sender/dkim', operationId: 'createSenderDkim', response: senderDkimView, tag: 'organisations', status: 201, params: ids('orgId'), body: senderDkimInput,
    summary: 'Make a DKIM key for the organisation’s email from `domain`, or a new one (rotation); answers the DNS record to publish (its admins, the network admin)',
    description: SENDER_DKIM_NOTES,
    handle: ({ rpc, actor, params, body }) => rpc.request(directoryRpc.createSenderDkim, { actor, ...params, input: body }),
  }),
  route({
    method: 'delete', path: '/organisations/:orgId/sender/dkim', operationId: 'clearSenderDkim', response: senderDkimView, tag: 'organisations', params: ids('orgId'),
    summary: 'Stop signing the organisation’s email with DKIM; answers `{ orgId, dkim: null }`',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.clearSenderDkim, { actor, ...params }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/invitations', operationId: 'listOrganisationInvitations', response: z.array(invitationView), tag: 'memberships', params: ids('orgId'),
    summary: 'Invitations to coalitions this organisation has received',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.listInvitations, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/organisations/:orgId/memberships', operationId: 'createMembership', response: membershipView, tag: 'memberships', status: 201, params: ids('orgId'), body: createMembershipInput,
    summary: 'Subscribe to a coalition that invited this organisation: filters, channels and relay policy',
    handle: ({ rpc, actor, params, body }) => rpc.request(directoryRpc.createMembership, { actor, ...params, input: body }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/memberships', operationId: 'listMemberships', response: z.array(membershipView), tag: 'memberships', params: ids('orgId'),
    summary: 'This organisation’s coalition subscriptions',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.listMemberships, { actor, ...params }),
  }),
  route({
    method: 'patch', path: '/organisations/:orgId/memberships/:membershipId', operationId: 'updateMembership', response: membershipView, tag: 'memberships', params: ids('orgId', 'membershipId'), body: updateMembershipInput,
    summary: 'Change filters, channels or relay policy',
    handle: ({ rpc, actor, params, body }) => rpc.request(directoryRpc.updateMembership, { actor, ...params, input: body }),
  }),
  route({
    method: 'delete', path: '/organisations/:orgId/memberships/:membershipId', operationId: 'deleteMembership', response: membershipView, tag: 'memberships', params: ids('orgId', 'membershipId'),
    summary: 'Leave a coalition',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.deleteMembership, { actor, ...params }),
  }),

  // ---- relays ----
  route({
    method: 'get', path: '/organisations/:orgId/relays', operationId: 'listOrganisationRelays', response: z.array(relayView), tag: 'relays', params: ids('orgId'), query: z.strictObject({ status: relayStatusSchema.optional() }),
    summary: 'Alerts to relay to this organisation’s supporters (filter by status, e.g. pending)',
    handle: ({ rpc, actor, params, query }) => rpc.request(relayRpc.list, { actor, ...params, ...query }),
  }),
  route({
    method: 'post', path: '/organisations/:orgId/relays/:relayId/approve', operationId: 'approveRelay', response: relayView, tag: 'relays', params: ids('orgId', 'relayId'), body: approveRelayInput,
    summary: 'Approve a pending relay, optionally with the organisation’s own intro and call-to-action URL',
    handle: ({ rpc, actor, params, body }) => rpc.request(relayRpc.approve, { actor, ...params, input: body ?? {} }),
  }),
  route({
    method: 'post', path: '/organisations/:orgId/relays/:relayId/preview', operationId: 'previewRelay', response: messagePreviewsView, tag: 'relays', params: ids('orgId', 'relayId'), body: approveRelayInput,
    summary: 'The relay’s email and push notification, per language, with the intro and call-to-action URL being edited (stored nowhere), for a sample supporter (the organisation’s admins and editors)',
    handle: async ({ rpc, actor, params, body }) => {
      const content = await rpc.request(relayRpc.previewContent, { actor, ...params, input: body ?? {} });
      return rpc.request(deliveryRpc.renderPreview, { content });
    },
  }),
  route({
    method: 'post', path: '/organisations/:orgId/relays/:relayId/decline', operationId: 'declineRelay', response: relayView, tag: 'relays', params: ids('orgId', 'relayId'), body: declineRelayInput,
    summary: 'Decline a pending relay',
    handle: ({ rpc, actor, params, body }) => rpc.request(relayRpc.decline, { actor, ...params, input: body ?? {} }),
  }),

  // ---- supporters (the organisation's own; subscriptions lets only its admins in) ----
  route({
    method: 'post', path: '/organisations/:orgId/supporters/import', operationId: 'importSupporters', response: importResultView, tag: 'supporters', params: ids('orgId'),
    body: z.strictObject({ csv: z.string() }),
    bodyOptions: { limit: IMPORT_LIMIT, text: { mediaTypes: ['text/csv'], field: 'csv' } },
    summary:
      'Import supporters from CSV (email,language,topics,consent_at,consent_source[,push_endpoint,push_p256dh,push_auth][,phone]), sent as text/csv or as JSON { csv }; at most 5 MB',
    description:
      'Header row, columns in any order, extra ones ignored: `email,language,topics,consent_at,consent_source`, optionally ' +
      '`push_endpoint,push_p256dh,push_auth` (a browser’s PushSubscription JSON: all three columns or none) and `phone` (a ' +
      'mobile number for SMS; the export’s `sms` column is read as `phone`). With the push columns or `phone`, `email` may be ' +
      'left empty, or out of the header. Each row needs an address, a push subscription or a number (or several), and ' +
      'consent evidence: `consent_at` (an ISO 8601 date or date-time, not in the future) and `consent_source`. `topics` are ' +
      'separated by `;`. A subscription is checked as the join page checks it: an https endpoint on a public address. A number is ' +
      'checked as the join page checks it (a mobile number, written with digits, spaces and + - . ( ) / only, at most 40 ' +
      'characters; national numbers in SMS_DEFAULT_REGION; only SMS_ALLOWED_REGIONS) and stored in E.164; it comes in ' +
      '`pending`, and is texted nothing until its owner confirms it with the code the join page sends (SMS consent is ' +
      'that code). Where SMS is not offered, a row with a number is skipped. ' +
      'Answers `{ imported, skipped: [{ line, reason }] }`; a reason names the column at fault. An address or subscription ' +
      'already on the list is never duplicated or merged into, nor resubscribed if it left; a pending address becomes active.',
    // A large file takes a while to check and write; the default request bound is for interactive calls.
    handle: ({ rpc, actor, params, body, config }) => rpc.request(supporterRpc.importCsv, { actor, ...params, csv: body.csv, sms: smsIntakeRulesOf(config) }, IMPORT_TIMEOUT_MS),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/supporters/export', operationId: 'exportSupporters', response: z.array(exportedSupporterView), tag: 'supporters', params: ids('orgId'),
    query: z.strictObject({ format: z.enum(['csv', 'json']).default('csv') }),
    produces: ['text/csv', 'application/json'],
    summary: 'Every supporter with their consent and push subscription, streamed: CSV with a header row (push_endpoint, push_p256dh, push_auth as import reads them; sms, sms_state last), or a JSON array with each consent record',
    stream: streamSupporterExport,
  }),
  route({
    method: 'get', path: '/organisations/:orgId/supporters/:supporterId/export', operationId: 'exportSupporter', response: supporterExportView, tag: 'supporters', params: ids('orgId', 'supporterId'),
    summary: 'Everything held on one supporter, as JSON (GDPR Art. 15 and 20): profile, email and push subscriptions, consent history, deliveries (its admins)',
    description:
      '`{ exportedAt, organisation, profile, subscriptions: { email?: { address, state }, push?: { endpoint, keys, state } }, consents, deliveries }`. ' +
      'The supporter can download the same document from the preferences link in every message.',
    handle: ({ rpc, actor, params }) => exportSupporter(rpc, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/organisations/:orgId/supporters/:supporterId/erase', operationId: 'eraseSupporter', response: erasureView, tag: 'supporters', params: ids('orgId', 'supporterId'),
    summary: 'Erase one supporter (GDPR Art. 17): from every collection and from the batches, jobs and dead letters on the bus (its admins)',
    description:
      'Answers `{ erasureId, erasedAt }`, the id of an audit entry that names nobody. Their delivery records keep their counts ' +
      'and lose the supporter; later alerts do not reach them. A second request answers 404. The supporter can do the same ' +
      'from the preferences link in every message (docs/decisions/0024).',
    handle: ({ rpc, actor, params }) => eraseSupporter(rpc, { actor, ...params }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/supporters', operationId: 'searchSupporters', response: supporterSearchView,
    tag: 'supporters', params: ids('orgId'), query: z.strictObject({ email: supporterEmail.optional(), phone: z.string().max(40).optional() }),
    summary: 'Find the supporter with exactly this email address or mobile number (not a partial match; one of the two): `{ supporters: [] }` or one (its admins)',
    description: 'A number may be written as people write it (+33 6 12 34 56 78, or 06 12 34 56 78 where SMS_DEFAULT_REGION is FR); it is compared in E.164.',
    handle: ({ rpc, actor, params, query, config }) => rpc.request(supporterRpc.search, { actor, ...params, ...query, sms: smsIntakeRulesOf(config) }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/supporters/counts', operationId: 'countSupporters', response: supporterCountsView, tag: 'supporters', params: ids('orgId'),
    summary: 'How many supporters, by channel and state',
    handle: ({ rpc, actor, params }) => rpc.request(supporterRpc.counts, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/organisations/:orgId/alerts/:alertId/resend-failed', operationId: 'resendOrganisationFailed', response: resendFailedView, tag: 'progress', params: ids('orgId', 'alertId'),
    summary: RESEND_SUMMARY + ' This organisation’s relay only; its admins and editors',
    handle: ({ rpc, actor, params }) => {
      if (!worksFor(actor, params.orgId)) throw new Forbidden("only the organisation's admins and editors may resend its relays");
      return rpc.request(deliveryRpc.resendFailed, params);
    },
  }),
  route({
    method: 'get', path: '/organisations/:orgId/alerts/:alertId/failures', operationId: 'listDeliveryFailures', response: deliveryFailuresView,
    tag: 'progress', params: ids('orgId', 'alertId'),
    summary: 'This organisation’s deliveries of the alert whose attempts ran out: supporter id, channel, the provider’s last answer, when (its admins and editors)',
    description: `Oldest first, at most ${FAILURES_LIMIT}; \`more\` says there are others. No address: open a supporter to see theirs.`,
    handle: ({ rpc, actor, params }) => {
      if (!worksFor(actor, params.orgId)) throw new Forbidden("only the organisation's admins and editors may see its failed deliveries");
      return rpc.request(deliveryRpc.failures, params);
    },
  }),
  route({
    method: 'get', path: '/organisations/:orgId/alerts/:alertId/progress', operationId: 'streamOrganisationProgress', tag: 'progress', params: ids('orgId', 'alertId'),
    produces: ['text/event-stream'],
    summary: 'Live delivery of this organisation’s relays of an alert, as Server-Sent Events (`event: progress`); its admins and editors',
    stream: organisationProgress,
  }),

  // ---- coalitions ----
  route({
    method: 'post', path: '/coalitions', operationId: 'createCoalition', response: coalitionView, tag: 'coalitions', status: 201, body: createCoalitionInput,
    summary: 'Create a coalition (network admin)',
    handle: ({ rpc, actor, body }) => rpc.request(directoryRpc.createCoalition, { actor, input: body }),
  }),
  route({
    method: 'get', path: '/coalitions', operationId: 'listCoalitions', response: z.array(coalitionView), tag: 'coalitions',
    summary: 'List the coalitions the caller may see',
    handle: ({ rpc, actor }) => rpc.request(directoryRpc.listCoalitions, { actor }),
  }),
  route({
    method: 'get', path: '/coalitions/:coalitionId', operationId: 'getCoalition', response: coalitionView, tag: 'coalitions', params: ids('coalitionId'),
    summary: 'One coalition',
    handle: ({ rpc, actor, params }) => rpc.request(directoryRpc.getCoalition, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/coalitions/:coalitionId/invitations', operationId: 'createInvitation', response: invitationView, tag: 'coalitions', status: 201, params: ids('coalitionId'), body: createInvitationInput,
    summary: 'Invite an organisation to subscribe to this coalition',
    handle: ({ rpc, actor, params, body }) => rpc.request(directoryRpc.createInvitation, { actor, ...params, input: body }),
  }),

  route({
    method: 'put', path: '/coalitions/:coalitionId/cap-feed', operationId: 'setCapFeedAccess', response: capFeedSettingsView, tag: 'coalitions', params: ids('coalitionId'), body: setCapFeedInput,
    summary: 'Make the coalition’s CAP 1.2 / Atom feed public, or token-protected (answers a new token, shown once; the last one stops working)',
    handle: ({ rpc, actor, params, body }) => rpc.request(capRpc.setFeed, { actor, ...params, input: body }),
  }),

  // ---- alerts ----
  route({
    method: 'post', path: '/coalitions/:coalitionId/alerts', operationId: 'createAlert', response: alertView, tag: 'alerts', status: 201, params: ids('coalitionId'), body: createAlertInput,
    summary: 'Draft an alert (coordinator of this coalition)',
    handle: ({ rpc, actor, params, body }) => rpc.request(alertRpc.create, { actor, ...params, input: body }),
  }),
  route({
    method: 'post', path: '/coalitions/:coalitionId/alerts/preview', operationId: 'previewAlert', response: messagePreviewsView, tag: 'alerts', params: ids('coalitionId'), body: createAlertInput,
    summary: 'A draft as its email and push notification, per language, for a sample supporter; stored and sent nowhere (coordinator of this coalition)',
    description: 'Rendered by the code that renders what supporters receive, in the coalition’s name with the default colour; the unsubscribe and preferences links are a sample supporter’s and lead nowhere.',
    handle: async ({ rpc, actor, params, body }) => {
      const draft = await rpc.request(alertRpc.previewContent, { actor, ...params, input: body });
      const coalition = await rpc.request(directoryRpc.getCoalition, { actor, ...params });
      const content: RelayContent = {
        relayId: SAMPLE_ID, alertId: SAMPLE_ID, alertVersion: 1, coalitionId: coalition.id, orgId: SAMPLE_ID,
        org: { name: coalition.name, slug: coalition.slug, senderName: coalition.name, colour: PREVIEW_COLOUR },
        primaryLanguage: draft.primaryLanguage, texts: draft.texts, ctaUrl: draft.ctaUrl, urgency: draft.urgency, channels: ['email', 'push'],
      };
      return rpc.request(deliveryRpc.renderPreview, { content });
    },
  }),
  route({
    method: 'get', path: '/coalitions/:coalitionId/alerts', operationId: 'listAlerts', response: z.array(alertView), tag: 'alerts', params: ids('coalitionId'),
    summary: 'This coalition’s alerts',
    handle: ({ rpc, actor, params }) => rpc.request(alertRpc.list, { actor, ...params }),
  }),
  route({
    method: 'get', path: '/alerts/:alertId/changes', operationId: 'getAlertChanges', response: alertChangesView, tag: 'alerts', params: ids('alertId'),
    summary: 'What changed since the alert was last approved or published, field by field (the coalition’s coordinators)',
    description: 'A draft or an alert awaiting approval is compared with the content last approved or published (`since`); a corrected alert with the version it replaced. No `since`: it never was approved nor published.',
    handle: ({ rpc, actor, params }) => rpc.request(alertRpc.changes, { actor, ...params }),
  }),
  route({
    method: 'get', path: '/alerts/:alertId', operationId: 'getAlert', response: alertView, tag: 'alerts', params: ids('alertId'),
    summary: 'One alert',
    handle: ({ rpc, actor, params }) => rpc.request(alertRpc.get, { actor, ...params }),
  }),
  route({
    method: 'patch', path: '/alerts/:alertId', operationId: 'updateAlert', response: alertView, tag: 'alerts', params: ids('alertId'), body: updateAlertInput,
    summary: 'Edit a draft, or correct a published alert (a new version reaches the relays)',
    handle: ({ rpc, actor, params, body }) => rpc.request(alertRpc.update, { actor, ...params, input: body }),
  }),
  route({
    method: 'post', path: '/alerts/:alertId/approve', operationId: 'approveAlert', response: alertView, tag: 'alerts', params: ids('alertId'),
    summary: 'Second-coordinator approval, where the coalition requires it',
    handle: ({ rpc, actor, params }) => rpc.request(alertRpc.approve, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/alerts/:alertId/request-approval', tag: 'alerts', params: ids('alertId'),
    operationId: 'requestAlertApproval', response: alertView,
    summary: 'Ask the coalition’s other coordinators to approve this draft; they get an email linking to it',
    description: 'The draft becomes `awaiting_approval`; an edit returns it to `draft`, and asking again emails again.',
    handle: ({ rpc, actor, params }) => rpc.request(alertRpc.requestApproval, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/alerts/:alertId/publish', operationId: 'publishAlert', response: alertView, tag: 'alerts', params: ids('alertId'), body: publishAlertInput,
    headers: z.object({
      'Idempotency-Key': idempotencyKey.optional().meta({
        description:
          'Any unique value (a UUID): a repeat with the same key within 24 hours, from the same coalition, answers the first ' +
          'request’s result and publishes nothing again. The same key with another alert or body: 422.',
      }),
    }),
    moreErrors: [422],
    summary: 'Publish now, or at a scheduled time',
    handle: ({ rpc, actor, params, body, headers }) =>
      rpc.request(alertRpc.publish, { actor, ...params, input: body ?? {}, idempotencyKey: headers['Idempotency-Key'] }),
  }),
  route({
    method: 'post', path: '/alerts/:alertId/cancel', operationId: 'cancelAlert', response: alertView, tag: 'alerts', params: ids('alertId'), body: cancelAlertInput,
    summary: 'Cancel; relays that have not gone out are stopped',
    handle: ({ rpc, actor, params, body }) => rpc.request(alertRpc.cancel, { actor, ...params, input: body ?? {} }),
  }),
  route({
    method: 'get', path: '/alerts/:alertId/relays', operationId: 'countAlertRelays', response: relayCountsView, tag: 'alerts', params: ids('alertId'),
    summary: 'How many organisations relayed this alert, by decision (counts only)',
    handle: async ({ rpc, actor, params }) => {
      // Asking alerts first checks the caller may see this alert and tells us its coalition.
      const alert = await rpc.request(alertRpc.get, { actor, ...params });
      return rpc.request(relayRpc.counts, { actor, alertId: alert.id, coalitionId: alert.coalitionId });
    },
  }),
  route({
    method: 'get', path: '/alerts/:alertId/relays/list', operationId: 'listAlertRelays', response: z.array(alertRelayView),
    tag: 'alerts', params: ids('alertId'),
    summary: 'Each member organisation’s relay of this alert: its name, decision, when and its deadline — never its supporters (the coalition’s coordinators)',
    handle: async ({ rpc, actor, params }) => {
      // Alerts checks the caller may see this alert and names its coalition; subscriptions checks they coordinate it.
      const alert = await rpc.request(alertRpc.get, { actor, ...params });
      return rpc.request(relayRpc.listForAlert, { actor, alertId: alert.id, coalitionId: alert.coalitionId });
    },
  }),
  route({
    method: 'post', path: '/alerts/:alertId/resend-failed', operationId: 'resendAlertFailed', response: resendFailedView, tag: 'progress', params: ids('alertId'),
    summary: RESEND_SUMMARY + ' Every relay of the alert; the coalition’s coordinators (counts only in the answer)',
    handle: async ({ rpc, actor, params }) => {
      const alert = await rpc.request(alertRpc.get, { actor, ...params });
      if (!coordinates(actor, alert.coalitionId) && !isAdmin(actor)) throw new Forbidden("only the coalition's coordinators may resend every relay of an alert");
      return rpc.request(deliveryRpc.resendFailed, { alertId: alert.id });
    },
  }),
  route({
    method: 'get', path: '/alerts/:alertId/progress', operationId: 'streamAlertProgress', tag: 'progress', params: ids('alertId'),
    produces: ['text/event-stream'],
    summary: 'Live delivery of every relay of the alert, as Server-Sent Events (`event: progress`, counts only); the coalition’s coordinators',
    stream: coalitionProgress,
  }),

  // ---- webhooks (delivery owns them and checks who may; docs/decisions/0029) ----
  route({
    method: 'post', path: '/organisations/:orgId/webhooks', operationId: 'createOrganisationWebhook', response: webhookSecretView, tag: 'webhooks', status: 201, params: ids('orgId'), body: createWebhookInput,
    summary: 'Register a webhook endpoint for this organisation’s events (alert.cancelled, relay.decided, supporter.erased); its admins',
    description: WEBHOOK_NOTES,
    handle: ({ rpc, actor, params, body }) => rpc.request(webhookRpc.create, { actor, owner: { kind: 'organisation', id: params.orgId }, input: body }),
  }),
  route({
    method: 'get', path: '/organisations/:orgId/webhooks', operationId: 'listOrganisationWebhooks', response: z.array(webhookEndpointView), tag: 'webhooks', params: ids('orgId'),
    summary: 'This organisation’s webhook endpoints, never their secrets; its admins and editors',
    handle: ({ rpc, actor, params }) => rpc.request(webhookRpc.list, { actor, owner: { kind: 'organisation', id: params.orgId } }),
  }),
  route({
    method: 'post', path: '/coalitions/:coalitionId/webhooks', operationId: 'createCoalitionWebhook', response: webhookSecretView, tag: 'webhooks', status: 201, params: ids('coalitionId'), body: createWebhookInput,
    summary: 'Register a webhook endpoint for this coalition’s events (alert.published, alert.corrected, alert.cancelled, relay.decided); its coordinators',
    description: WEBHOOK_NOTES,
    handle: ({ rpc, actor, params, body }) => rpc.request(webhookRpc.create, { actor, owner: { kind: 'coalition', id: params.coalitionId }, input: body }),
  }),
  route({
    method: 'get', path: '/coalitions/:coalitionId/webhooks', operationId: 'listCoalitionWebhooks', response: z.array(webhookEndpointView), tag: 'webhooks', params: ids('coalitionId'),
    summary: 'This coalition’s webhook endpoints, never their secrets; its coordinators',
    handle: ({ rpc, actor, params }) => rpc.request(webhookRpc.list, { actor, owner: { kind: 'coalition', id: params.coalitionId } }),
  }),
  route({
    method: 'patch', path: '/webhooks/:endpointId', operationId: 'updateWebhook', response: webhookEndpointView, tag: 'webhooks', params: ids('endpointId'), body: updateWebhookInput,
    summary: 'Change an endpoint’s URL, event types, description, or disable it',
    description: WEBHOOK_NOTES,
    handle: ({ rpc, actor, params, body }) => rpc.request(webhookRpc.update, { actor, ...params, input: body }),
  }),
  route({
    method: 'delete', path: '/webhooks/:endpointId', operationId: 'deleteWebhook', response: webhookEndpointView, tag: 'webhooks', params: ids('endpointId'),
    summary: 'Remove an endpoint; webhooks still queued for it are dropped',
    handle: ({ rpc, actor, params }) => rpc.request(webhookRpc.remove, { actor, ...params }),
  }),
  route({
    method: 'post', path: '/webhooks/:endpointId/rotate-secret', operationId: 'rotateWebhookSecret', response: webhookSecretView, tag: 'webhooks', params: ids('endpointId'), body: rotateWebhookSecretInput,
    summary: 'A new signing secret, shown once; the old one goes on signing beside it for `overlapSeconds` (default a day, at most a week)',
    handle: ({ rpc, actor, params, body }) => rpc.request(webhookRpc.rotateSecret, { actor, ...params, input: body }),
  }),
  route({
    method: 'get', path: '/webhooks/:endpointId/deliveries', operationId: 'listWebhookDeliveries', response: z.array(webhookDeliveryView), tag: 'webhooks', params: ids('endpointId'),
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional() }),
    summary: 'The endpoint’s delivery log, newest first: each webhook’s id, type, state and attempts (status or error, duration)',
    handle: ({ rpc, actor, params, query }) => rpc.request(webhookRpc.deliveries, { actor, ...params, ...(query.limit ? { limit: query.limit } : {}) }),
  }),
];
