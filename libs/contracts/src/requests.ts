import { z } from 'zod';
import type { ServiceName } from '@clarion/config';
import { principalSchema } from './access';
import { accountRequests, accountView, closedSessionView, resolvedSessionView, sessionSummaryView, signInLinkSentView } from './accounts';
import { alertChangesView, alertPreviewContentView, alertRequests, alertView } from './alerts';
import { capAccessView, capAlertsView, capFeedSettingsView, capRequests, capRpc } from './cap';
import { clickResultView, deliveryFailuresView, messagePreviewsView, relayContentSchema, deliveryRequests, providerFeedbackView, relayProgressV1, resendFailedView, supporterHistoryRequest, supporterHistoryView } from './delivery';
import {
  coalitionSettingsView,
  coalitionView,
  directoryRequests,
  invitationView,
  membershipView,
  organisationView,
  senderDkimView,
  senderSmtpView,
  tokenView,
} from './directory';
import { alertRelayView, publicRelayView, relayCountsView, relayRequests, relayView } from './relays';
import { alertRpc, deliveryRpc, directoryRpc, relayRpc, supporterRpc, systemRpc, webhookRpc } from './subjects';
import {
  confirmEmailResultView,
  confirmCodeResultView,
  channelReplyResultView,
  erasureView,
  exportPageView,
  importResultView,
  joinResultView,
  preferencesView,
  publicOrganisationView,
  pushRenewedView,
  senderIdentityView,
  supporterCountsView,
  supporterDataView,
  supporterRequests,
  supporterSearchView,
  unsubscribeResultView,
} from './supporters';
import { pingReplyV1, serviceHealthV1, systemRequests } from './system';
import { webhookDeliveryView, webhookEndpointView, webhookRequests, webhookSecretView } from './webhooks';

/** One request/reply subject: what is asked, what comes back, who answers and who may ask. */
export interface RequestContract {
  /** Validated by the answering service before its handler runs (RequestHandler); `actor` where the gateway acts for a person. */
  request: z.ZodType;
  /** Validated by the caller (RpcClient): a reply outside it is treated as no answer. */
  reply: z.ZodType;
  /** The service whose handlers answer (in its queue group). */
  answeredBy: ServiceName;
  /** Services that may ask; the answering service refuses a request signed by anyone else. */
  callers: readonly ServiceName[];
}

const gateway = ['gateway'] as const;


/**
 * Every request/reply subject Clarion has, in one map: the caller's payload
 * and reply types (RpcClient.request), the handler's argument and return
 * (RequestHandler), and the bus permissions and caller checks (bus-access
 * requestAccess) all come from here. A subject missing here is refused by the
 * NATS server and by the answering service alike.
 */
export const requestContracts = {
  // ---- every service: the gateway asks for health; a service pings itself at start to know its handlers answer ----
  [systemRpc.health('alerts')]: { request: systemRequests.health, reply: serviceHealthV1, answeredBy: 'alerts', callers: gateway },
  [systemRpc.ping('alerts')]: { request: systemRequests.ping, reply: pingReplyV1, answeredBy: 'alerts', callers: ['gateway', 'alerts'] },
  [systemRpc.health('subscriptions')]: { request: systemRequests.health, reply: serviceHealthV1, answeredBy: 'subscriptions', callers: gateway },
  [systemRpc.ping('subscriptions')]: { request: systemRequests.ping, reply: pingReplyV1, answeredBy: 'subscriptions', callers: ['gateway', 'subscriptions'] },
  [systemRpc.health('delivery')]: { request: systemRequests.health, reply: serviceHealthV1, answeredBy: 'delivery', callers: gateway },
  [systemRpc.ping('delivery')]: { request: systemRequests.ping, reply: pingReplyV1, answeredBy: 'delivery', callers: ['gateway', 'delivery'] },

  // ---- alerts (the gateway, for coordinators) ----
  [alertRpc.create]: { request: alertRequests.create, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.list]: { request: alertRequests.list, reply: z.array(alertView), answeredBy: 'alerts', callers: gateway },
  [alertRpc.get]: { request: alertRequests.get, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.update]: { request: alertRequests.update, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.approve]: { request: alertRequests.approve, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.requestApproval]: { request: alertRequests.requestApproval, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.publish]: { request: alertRequests.publish, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.cancel]: { request: alertRequests.cancel, reply: alertView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.changes]: { request: alertRequests.changes, reply: alertChangesView, answeredBy: 'alerts', callers: gateway },
  [alertRpc.previewContent]: { request: alertRequests.previewContent, reply: alertPreviewContentView, answeredBy: 'alerts', callers: gateway },

  // ---- subscriptions: tokens, organisations, coalitions, memberships ----
  [directoryRpc.resolveToken]: { request: directoryRequests.resolveToken, reply: principalSchema, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.createToken]: { request: directoryRequests.createToken, reply: tokenView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listTokens]: { request: directoryRequests.listTokens, reply: z.array(tokenView), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.revokeToken]: { request: directoryRequests.revokeToken, reply: tokenView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.createOrganisation]: { request: directoryRequests.createOrganisation, reply: organisationView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listOrganisations]: { request: directoryRequests.listOrganisations, reply: z.array(organisationView), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.getOrganisation]: { request: directoryRequests.getOrganisation, reply: organisationView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.updateOrganisation]: { request: directoryRequests.updateOrganisation, reply: organisationView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.getSenderSmtp]: { request: directoryRequests.getSenderSmtp, reply: senderSmtpView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.setSenderSmtp]: { request: directoryRequests.setSenderSmtp, reply: senderSmtpView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.clearSenderSmtp]: { request: directoryRequests.clearSenderSmtp, reply: senderSmtpView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.getSenderDkim]: { request: directoryRequests.getSenderDkim, reply: senderDkimView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.createSenderDkim]: { request: directoryRequests.createSenderDkim, reply: senderDkimView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.clearSenderDkim]: { request: directoryRequests.clearSenderDkim, reply: senderDkimView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.createCoalition]: { request: directoryRequests.createCoalition, reply: coalitionView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listCoalitions]: { request: directoryRequests.listCoalitions, reply: z.array(coalitionView), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.getCoalition]: { request: directoryRequests.getCoalition, reply: coalitionView, answeredBy: 'subscriptions', callers: gateway },
  // Service to service: alerts asks for the coalition's publishing rules, no actor.
  [directoryRpc.coalitionSettings]: { request: directoryRequests.coalitionSettings, reply: coalitionSettingsView, answeredBy: 'subscriptions', callers: ['alerts'] },
  [directoryRpc.createInvitation]: { request: directoryRequests.createInvitation, reply: invitationView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listInvitations]: { request: directoryRequests.listInvitations, reply: z.array(invitationView), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.createMembership]: { request: directoryRequests.createMembership, reply: membershipView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listMemberships]: { request: directoryRequests.listMemberships, reply: z.array(membershipView), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.updateMembership]: { request: directoryRequests.updateMembership, reply: membershipView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.deleteMembership]: { request: directoryRequests.deleteMembership, reply: membershipView, answeredBy: 'subscriptions', callers: gateway },

  // ---- CAP 1.2 feed (docs/decisions/0028) ----
  [capRpc.alerts]: { request: capRequests.alerts, reply: capAlertsView, answeredBy: 'alerts', callers: gateway },
  [capRpc.access]: { request: capRequests.access, reply: capAccessView, answeredBy: 'subscriptions', callers: gateway },
  [capRpc.setFeed]: { request: capRequests.setFeed, reply: capFeedSettingsView, answeredBy: 'subscriptions', callers: gateway },

  // ---- subscriptions: people's accounts and console sessions (docs/decisions/0025) ----
  [directoryRpc.requestSignIn]: { request: accountRequests.requestSignIn, reply: signInLinkSentView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.openSession]: { request: accountRequests.openSession, reply: resolvedSessionView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.resolveSession]: { request: accountRequests.resolveSession, reply: resolvedSessionView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.closeSession]: { request: accountRequests.closeSession, reply: closedSessionView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listSessions]: { request: accountRequests.listSessions, reply: z.array(sessionSummaryView.omit({ current: true })), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.revokeSession]: { request: accountRequests.revokeSession, reply: closedSessionView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.createAccount]: { request: accountRequests.createAccount, reply: accountView, answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.listAccounts]: { request: accountRequests.listAccounts, reply: z.array(accountView), answeredBy: 'subscriptions', callers: gateway },
  [directoryRpc.removeAccount]: { request: accountRequests.removeAccount, reply: accountView, answeredBy: 'subscriptions', callers: gateway },

  // ---- subscriptions: relays ----
  [relayRpc.list]: { request: relayRequests.list, reply: z.array(relayView), answeredBy: 'subscriptions', callers: gateway },
  [relayRpc.approve]: { request: relayRequests.approve, reply: relayView, answeredBy: 'subscriptions', callers: gateway },
  [relayRpc.decline]: { request: relayRequests.decline, reply: relayView, answeredBy: 'subscriptions', callers: gateway },
  [relayRpc.counts]: { request: relayRequests.counts, reply: relayCountsView, answeredBy: 'subscriptions', callers: gateway },
  [relayRpc.listForAlert]: { request: relayRequests.listForAlert, reply: z.array(alertRelayView), answeredBy: 'subscriptions', callers: gateway },
  [relayRpc.publicView]: { request: relayRequests.publicView, reply: publicRelayView, answeredBy: 'subscriptions', callers: gateway },
  [relayRpc.previewContent]: { request: relayRequests.previewContent, reply: relayContentSchema, answeredBy: 'subscriptions', callers: gateway },

  // ---- subscriptions: supporters ----
  [supporterRpc.publicOrganisation]: { request: supporterRequests.publicOrganisation, reply: publicOrganisationView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.join]: { request: supporterRequests.join, reply: joinResultView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.confirmEmail]: { request: supporterRequests.confirmEmail, reply: confirmEmailResultView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.confirmCode]: { request: supporterRequests.confirmCode, reply: confirmCodeResultView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.channelReply]: { request: supporterRequests.channelReply, reply: channelReplyResultView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.unsubscribe]: { request: supporterRequests.unsubscribe, reply: unsubscribeResultView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.getPreferences]: { request: supporterRequests.getPreferences, reply: preferencesView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.updatePreferences]: { request: supporterRequests.updatePreferences, reply: preferencesView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.importCsv]: { request: supporterRequests.importCsv, reply: importResultView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.exportPage]: { request: supporterRequests.exportPage, reply: exportPageView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.search]: { request: supporterRequests.search, reply: supporterSearchView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.counts]: { request: supporterRequests.counts, reply: supporterCountsView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.exportSupporter]: { request: supporterRequests.exportSupporter, reply: supporterDataView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.eraseSupporter]: { request: supporterRequests.eraseSupporter, reply: erasureView, answeredBy: 'subscriptions', callers: gateway },
  [supporterRpc.renewPush]: { request: supporterRequests.renewPush, reply: pushRenewedView, answeredBy: 'subscriptions', callers: gateway },
  // Only delivery may learn how to send in an organisation's name.
  [supporterRpc.senderIdentity]: { request: supporterRequests.senderIdentity, reply: senderIdentityView, answeredBy: 'subscriptions', callers: ['delivery'] },

  // ---- delivery ----
  [deliveryRpc.progress]: { request: deliveryRequests.progress, reply: z.array(relayProgressV1), answeredBy: 'delivery', callers: gateway },
  [deliveryRpc.click]: { request: deliveryRequests.click, reply: clickResultView, answeredBy: 'delivery', callers: gateway },
  [deliveryRpc.resendFailed]: { request: deliveryRequests.resendFailed, reply: resendFailedView, answeredBy: 'delivery', callers: gateway },
  // Asked only after the gateway checked the caller works for the organisation (as resendFailed).
  [deliveryRpc.failures]: { request: deliveryRequests.failures, reply: deliveryFailuresView, answeredBy: 'delivery', callers: gateway },
  // Renders only what the gateway got from the service that authorised the caller; reads and sends nothing.
  [deliveryRpc.renderPreview]: { request: deliveryRequests.renderPreview, reply: messagePreviewsView, answeredBy: 'delivery', callers: gateway },
  // Only after subscriptions let the caller see this supporter.
  [deliveryRpc.supporterHistory]: { request: supporterHistoryRequest, reply: supporterHistoryView, answeredBy: 'delivery', callers: gateway },

  // ---- delivery: webhook endpoints (delivery authorises against the endpoint's owner) ----
  [webhookRpc.create]: { request: webhookRequests.create, reply: webhookSecretView, answeredBy: 'delivery', callers: gateway },
  [webhookRpc.list]: { request: webhookRequests.list, reply: z.array(webhookEndpointView), answeredBy: 'delivery', callers: gateway },
  [webhookRpc.update]: { request: webhookRequests.update, reply: webhookEndpointView, answeredBy: 'delivery', callers: gateway },
  [webhookRpc.remove]: { request: webhookRequests.remove, reply: webhookEndpointView, answeredBy: 'delivery', callers: gateway },
  [webhookRpc.rotateSecret]: { request: webhookRequests.rotateSecret, reply: webhookSecretView, answeredBy: 'delivery', callers: gateway },
  [webhookRpc.deliveries]: { request: webhookRequests.deliveries, reply: z.array(webhookDeliveryView), answeredBy: 'delivery', callers: gateway },
  // The gateway checked the provider's signature or secret; no actor (docs/decisions/0030).
  [deliveryRpc.providerFeedback]: { request: deliveryRequests.providerFeedback, reply: providerFeedbackView, answeredBy: 'delivery', callers: gateway },
} as const satisfies Record<string, RequestContract>;

type Contracts = typeof requestContracts;
export type RequestSubject = keyof Contracts;
/** What a caller sends on a subject; an `actor` in it travels signed in the caller assertion, never as a field. */
export type RequestOf<S extends RequestSubject> = z.input<Contracts[S]['request']>;
/** What a subject's handler is given: the request once validated (defaults filled in), `actor` from the verified assertion. */
export type ValidRequestOf<S extends RequestSubject> = z.output<Contracts[S]['request']>;
/** What a caller gets back on a subject, validated. */
export type ReplyOf<S extends RequestSubject> = z.output<Contracts[S]['reply']>;

export function isRequestSubject(subject: string): subject is RequestSubject {
  return Object.prototype.hasOwnProperty.call(requestContracts, subject);
}
