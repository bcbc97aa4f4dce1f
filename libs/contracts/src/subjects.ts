/**
 * Every NATS subject Clarion uses, versioned. Renaming one is a migration:
 * old consumers keep listening on the old name until they are redeployed, so
 * add the new version next to the old and retire the old one in a later release.
 *
 * Retired at once, not later: v1 of tokens.resolve, tokens.create,
 * organisations.sender-smtp-set and organisations.sender-identity carried
 * bearer tokens, SMTP passwords and VAPID private keys in clear; their v2
 * carry hashes and sealed secrets (docs/decisions/0020).
 */
import type { ServiceName } from '@clarion/config';

type Backend = Exclude<ServiceName, 'gateway'>;

/*
 * Request/reply subjects: each one's request and reply schemas, who answers
 * and who may call are one entry of requestContracts (requests.ts).
 */

/** Request/reply subjects answered by every service. */
export const systemRpc = {
  /** Readiness of one service: its NATS connection and its database. */
  health: <S extends Backend>(service: S) => `${service}.system.health.v1` as const,
  /** A cheap round trip that proves the service's NATS handlers answer. */
  ping: <S extends Backend>(service: S) => `${service}.system.ping.v1` as const,
} as const;

/** Request/reply subjects of `subscriptions` (payloads: directoryRequests / relayRequests). */
export const directoryRpc = {
  resolveToken: 'subscriptions.tokens.resolve.v2',
  createToken: 'subscriptions.tokens.create.v2',
  listTokens: 'subscriptions.tokens.list.v1',
  revokeToken: 'subscriptions.tokens.revoke.v1',
  createOrganisation: 'subscriptions.organisations.create.v1',
  listOrganisations: 'subscriptions.organisations.list.v1',
  getOrganisation: 'subscriptions.organisations.get.v1',
  /** Name, colour, logo and join-page topics (its admins and the network admin). */
  updateOrganisation: 'subscriptions.organisations.update.v1',
  getSenderSmtp: 'subscriptions.organisations.sender-smtp-get.v1',
  setSenderSmtp: 'subscriptions.organisations.sender-smtp-set.v2',
  clearSenderSmtp: 'subscriptions.organisations.sender-smtp-clear.v1',
  getSenderDkim: 'subscriptions.organisations.sender-dkim-get.v1',
  createSenderDkim: 'subscriptions.organisations.sender-dkim-create.v1',
  clearSenderDkim: 'subscriptions.organisations.sender-dkim-clear.v1',
  createCoalition: 'subscriptions.coalitions.create.v1',
  listCoalitions: 'subscriptions.coalitions.list.v1',
  getCoalition: 'subscriptions.coalitions.get.v1',
  coalitionSettings: 'subscriptions.coalitions.settings.v1',
  createInvitation: 'subscriptions.invitations.create.v1',
  listInvitations: 'subscriptions.invitations.list.v1',
  createMembership: 'subscriptions.memberships.create.v1',
  listMemberships: 'subscriptions.memberships.list.v1',
  updateMembership: 'subscriptions.memberships.update.v1',
  deleteMembership: 'subscriptions.memberships.delete.v1',
  // People who sign in to the consoles (docs/decisions/0025).
  requestSignIn: 'subscriptions.accounts.sign-in-request.v1',
  createAccount: 'subscriptions.accounts.create.v1',
  listAccounts: 'subscriptions.accounts.list.v1',
  removeAccount: 'subscriptions.accounts.remove.v1',
  openSession: 'subscriptions.sessions.open.v1',
  resolveSession: 'subscriptions.sessions.resolve.v1',
  closeSession: 'subscriptions.sessions.close.v1',
  listSessions: 'subscriptions.sessions.list.v1',
  revokeSession: 'subscriptions.sessions.revoke.v1',
} as const;

export const relayRpc = {
  list: 'subscriptions.relays.list.v1',
  approve: 'subscriptions.relays.approve.v1',
  decline: 'subscriptions.relays.decline.v1',
  counts: 'subscriptions.relays.counts.v1',
  /** Each organisation's relay of one alert, for its coordinators: names and decisions, no supporters. */
  listForAlert: 'subscriptions.relays.list-for-alert.v1',
  publicView: 'subscriptions.relays.public-view.v1',
  /** An organisation's relay as it would go out, with an edited intro / call to action, for its preview. */
  previewContent: 'subscriptions.relays.preview-content.v1',
} as const;

/** Supporters and their consent (owned by `subscriptions`; payloads: supporterRequests). */
export const supporterRpc = {
  publicOrganisation: 'subscriptions.supporters.public-organisation.v1',
  join: 'subscriptions.supporters.join.v1',
  confirmEmail: 'subscriptions.supporters.confirm-email.v1',
  /** A code channel's (SMS) double opt-in code, typed back on the join page. */
  confirmCode: 'subscriptions.supporters.confirm-code.v1',
  /** A signed reply from a contact through its provider (SMS STOP/START). */
  channelReply: 'subscriptions.supporters.channel-reply.v1',
  unsubscribe: 'subscriptions.supporters.unsubscribe.v1',
  getPreferences: 'subscriptions.supporters.preferences-get.v1',
  updatePreferences: 'subscriptions.supporters.preferences-update.v1',
  importCsv: 'subscriptions.supporters.import.v1',
  exportPage: 'subscriptions.supporters.export-page.v1',
  search: 'subscriptions.supporters.search.v1',
  counts: 'subscriptions.supporters.counts.v1',
  /** One supporter's data (GDPR Art. 15 and 20), asked by the organisation's admin or by the supporter's own link. */
  exportSupporter: 'subscriptions.supporters.export-one.v1',
  /** Erase one supporter (GDPR Art. 17): from every collection and from the bus (docs/decisions/0024). */
  eraseSupporter: 'subscriptions.supporters.erase.v1',
  /** A browser rotated its push subscription (`pushsubscriptionchange`): the old one, keys and all, names the supporter. */
  renewPush: 'subscriptions.supporters.push-renew.v1',
  senderIdentity: 'subscriptions.organisations.sender-identity.v2',
} as const;

/** Request/reply subjects of `delivery`. */
export const deliveryRpc = {
  /** Counters of every relay of an alert (coordinators) or of one organisation's relays. */
  progress: 'delivery.progress.get.v1',
  /** Count a click on a signed call-to-action link; answers where to send the person. */
  click: 'delivery.clicks.record.v1',
  /** Send again what failed (retries exhausted) of an alert's relays, or of one organisation's relay of it. */
  resendFailed: 'delivery.deliveries.resend-failed.v1',
  /** One supporter's ledger records, for their data export (the gateway asks after subscriptions let the caller see them). */
  supporterHistory: 'delivery.supporters.history.v1',
  /** One organisation's failed deliveries of an alert (supporter ids, channel, reason), for its staff. */
  failures: 'delivery.deliveries.failures.v1',
  /** A relay's messages rendered for a sample supporter and sent nowhere (the consoles' previews). */
  renderPreview: 'delivery.previews.render.v1',
  /**
   * A mail provider's bounce or complaint, from its authenticated webhook at the gateway (docs/decisions/0030).
   * Not under `delivery.feedback.>`: that is DELIVERY_FEEDBACK's, and JetStream would answer the request with a PubAck.
   */
  providerFeedback: 'delivery.provider-reports.record.v1',
} as const;

/** Outbound webhook endpoints, owned by `delivery` (payloads: webhookRequests; docs/decisions/0029). */
export const webhookRpc = {
  create: 'delivery.webhooks.create.v1',
  list: 'delivery.webhooks.list.v1',
  update: 'delivery.webhooks.update.v1',
  remove: 'delivery.webhooks.delete.v1',
  rotateSecret: 'delivery.webhooks.rotate-secret.v1',
  deliveries: 'delivery.webhooks.deliveries.v1',
} as const;

/** Request/reply subjects of `alerts` (payloads: alertRequests). */
export const alertRpc = {
  create: 'alerts.alerts.create.v1',
  list: 'alerts.alerts.list.v1',
  get: 'alerts.alerts.get.v1',
  update: 'alerts.alerts.update.v1',
  approve: 'alerts.alerts.approve.v1',
  requestApproval: 'alerts.alerts.request-approval.v1',
  publish: 'alerts.alerts.publish.v1',
  cancel: 'alerts.alerts.cancel.v1',
  /** What changed since the last approved or published content. */
  changes: 'alerts.alerts.changes.v1',
  /** A draft rendered but stored nowhere, for a preview. */
  previewContent: 'alerts.alerts.preview-content.v1',
} as const;

/** Durable facts on JetStream (see streams.ts for which stream stores each). */
export const eventSubjects = {
  alertPublished: 'alerts.alert.published.v1',
  alertUpdated: 'alerts.alert.updated.v1',
  alertCancelled: 'alerts.alert.cancelled.v1',
  /** A draft waits for a second coordinator's approval: subscriptions emails the coalition's other coordinators. */
  alertApprovalRequested: 'alerts.alert.approval-requested.v1',
  relayApproved: 'relays.relay.approved.v1',
  relayDeclined: 'relays.relay.declined.v1',
  relayCancelled: 'relays.relay.cancelled.v1',
  /** A relay opened for the organisation's review: its decision waits (webhook relay.decision_waiting). */
  relayAwaitingReview: 'relays.relay.awaiting-review.v1',
  /** Stored once per batch, on `delivery.batch.v2.<eventId>` (see oncePerEventId). */
  deliveryBatch: 'delivery.batch.v2',
  confirmationEmail: 'delivery.jobs.confirmation-email.v1',
  /** A code channel's double opt-in code to send (an SMS): the code travels like the confirmation email's link. */
  optInCode: 'delivery.jobs.opt-in-code.v1',
  /** An email to a person with an account (sign-in link, invitation, review and approval waiting): never supporter data. */
  staffEmail: 'delivery.jobs.staff-email.v1',
  /** A join, taken and answered at once; subscriptions does the work off the request path (docs/decisions/0022). */
  joinRequested: 'supporters.jobs.join.v1',
  pushGone: 'delivery.feedback.push-gone.v1',
  emailRejected: 'delivery.feedback.email-rejected.v1',
  /** A mail provider reported a spam complaint (docs/decisions/0030): subscriptions unsubscribes the address. */
  emailComplained: 'delivery.feedback.email-complained.v1',
  /** A provider refused a contact for good, on a channel added after email and push (docs/adding-a-channel.md). */
  contactRefused: 'delivery.feedback.contact-refused.v1',
  /** Delivery asks subscriptions for fresh batches of these supporters of a relay, whose deliveries failed. */
  resendRequested: 'delivery.feedback.resend-requested.v1',
  /** A supporter was erased: delivery pseudonymises their ledger records (ids only in it). */
  supporterErased: 'delivery.jobs.supporter-erased.v1',
  /** A supporter joined, confirmed or unsubscribed (ids only): subscriptions tells it for the organisation's webhooks. */
  supporterConsentChanged: 'supporters.facts.consent-changed.v1',
  /** One signed webhook to post: delivery queues it for each endpoint an event concerns, and works the queue (docs/decisions/0029). */
  webhookDelivery: 'webhooks.jobs.deliver.v1',
} as const;

/**
 * Events whose every message goes on a subject of its own, `<subject>.<eventId>`,
 * into a stream that keeps one message per subject and refuses a second for as
 * long as it keeps the first (streams.ts). A repeat is dropped however late it
 * comes, not only inside the stream's duplicate window: a fan-out resumed an
 * hour after a crash cannot store a batch twice (docs/decisions/0016).
 */
export const oncePerEventId: ReadonlySet<string> = new Set([eventSubjects.deliveryBatch]);

/** The subject one event is published on: the event's own subject, or for oncePerEventId events that subject and its id. */
export function subjectForEvent(subject: string, eventId: string): string {
  return oncePerEventId.has(subject) ? `${subject}.${eventId}` : subject;
}

/** The filter a consumer of an event subject uses: every concrete subject of a oncePerEventId event. */
export function consumerFilterFor(subject: string): string {
  return oncePerEventId.has(subject) ? `${subject}.>` : subject;
}

/** Live counters, fire-and-forget on core NATS: the next snapshot replaces a lost one. */
export const progressSubject = (alertId: string) => `delivery.progress.${alertId}`;

/** Where messages go that failed validation or exhausted their delivery attempts. */
export const deadLetterSubject = (originalSubject: string) => `deadletter.${originalSubject}`;
