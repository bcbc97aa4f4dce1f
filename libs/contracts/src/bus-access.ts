/**
 * Who may do what on the bus: the one table the NATS server's permissions are
 * generated from (natsPermissions), and that services check a request's
 * signed caller against (requestAccess, read from requestContracts, where a
 * request subject and its callers are declared). Add a subject, a consumer or
 * a caller here, and the server, the services and the permission test follow;
 * leave it out, and the server refuses it (docs/security.md).
 */
import type { ServiceName } from '@clarion/config';
import { requestContracts, type RequestContract } from './requests';
import { streamFor, streams } from './streams';
import { consumerFilterFor, deadLetterSubject, eventSubjects } from './subjects';

export type BusService = ServiceName;
export const BUS_SERVICES: readonly BusService[] = ['gateway', 'alerts', 'subscriptions', 'delivery'];

/** Who answers a request subject and who may ask: part of its entry in requestContracts. */
export type RequestAccess = Pick<RequestContract, 'answeredBy' | 'callers'>;

/** Every request/reply subject: who answers it and who may call it (the entries of requestContracts). */
export const requestAccess: Readonly<Record<string, RequestAccess>> = requestContracts;

/** A durable JetStream consumer: the service that runs it, its name and the event it reads. */
export interface ConsumerAccess {
  service: BusService;
  durable: string;
  subject: string;
}

/** Durable facts: the one service that may publish each, and every consumer of it. */
export const eventPublishers: Readonly<Record<string, BusService>> = {
  [eventSubjects.alertPublished]: 'alerts',
  [eventSubjects.alertUpdated]: 'alerts',
  [eventSubjects.alertCancelled]: 'alerts',
  [eventSubjects.alertApprovalRequested]: 'alerts',
  [eventSubjects.relayApproved]: 'subscriptions',
  [eventSubjects.relayDeclined]: 'subscriptions',
  [eventSubjects.relayCancelled]: 'subscriptions',
  [eventSubjects.relayAwaitingReview]: 'subscriptions',
  [eventSubjects.deliveryBatch]: 'subscriptions',
  [eventSubjects.confirmationEmail]: 'subscriptions',
  [eventSubjects.optInCode]: 'subscriptions',
  [eventSubjects.staffEmail]: 'subscriptions',
  // Subscriptions queues its own joins: answered at once, worked on by its consumer.
  [eventSubjects.joinRequested]: 'subscriptions',
  [eventSubjects.pushGone]: 'delivery',
  [eventSubjects.emailRejected]: 'delivery',
  [eventSubjects.emailComplained]: 'delivery',
  [eventSubjects.contactRefused]: 'delivery',
  [eventSubjects.resendRequested]: 'delivery',
  [eventSubjects.supporterErased]: 'subscriptions',
  [eventSubjects.supporterConsentChanged]: 'subscriptions',
  // Delivery queues each webhook for itself: one job per event and endpoint (docs/decisions/0029).
  [eventSubjects.webhookDelivery]: 'delivery',
};

export const consumers: readonly ConsumerAccess[] = [
  { service: 'subscriptions', durable: 'subscriptions-relays-published', subject: eventSubjects.alertPublished },
  { service: 'subscriptions', durable: 'subscriptions-relays-updated', subject: eventSubjects.alertUpdated },
  { service: 'subscriptions', durable: 'subscriptions-relays-cancelled', subject: eventSubjects.alertCancelled },
  { service: 'subscriptions', durable: 'subscriptions-alert-snapshots-published', subject: eventSubjects.alertPublished },
  { service: 'subscriptions', durable: 'subscriptions-alert-snapshots-updated', subject: eventSubjects.alertUpdated },
  { service: 'subscriptions', durable: 'subscriptions-fan-out', subject: eventSubjects.relayApproved },
  { service: 'subscriptions', durable: 'subscriptions-follow-ups-updated', subject: eventSubjects.alertUpdated },
  { service: 'subscriptions', durable: 'subscriptions-follow-ups-cancelled', subject: eventSubjects.alertCancelled },
  { service: 'subscriptions', durable: 'subscriptions-approval-requests', subject: eventSubjects.alertApprovalRequested },
  { service: 'subscriptions', durable: 'subscriptions-feedback-push-gone', subject: eventSubjects.pushGone },
  { service: 'subscriptions', durable: 'subscriptions-feedback-email-rejected', subject: eventSubjects.emailRejected },
  { service: 'subscriptions', durable: 'subscriptions-feedback-email-complained', subject: eventSubjects.emailComplained },
  { service: 'subscriptions', durable: 'subscriptions-feedback-contact-refused', subject: eventSubjects.contactRefused },
  { service: 'subscriptions', durable: 'subscriptions-resends', subject: eventSubjects.resendRequested },
  { service: 'subscriptions', durable: 'subscriptions-joins', subject: eventSubjects.joinRequested },
  { service: 'delivery', durable: 'delivery-relay-cancelled', subject: eventSubjects.relayCancelled },
  { service: 'delivery', durable: 'delivery-confirmations', subject: eventSubjects.confirmationEmail },
  { service: 'delivery', durable: 'delivery-opt-in-codes', subject: eventSubjects.optInCode },
  { service: 'delivery', durable: 'delivery-staff-emails', subject: eventSubjects.staffEmail },
  { service: 'delivery', durable: 'delivery-batches', subject: eventSubjects.deliveryBatch },
  { service: 'delivery', durable: 'delivery-supporter-erasures', subject: eventSubjects.supporterErased },
  // Webhooks: the facts other services publish, mapped to webhook events (docs/decisions/0029); supporter
  // erasures arrive through delivery-supporter-erasures (a work queue takes one consumer per subject).
  { service: 'delivery', durable: 'delivery-webhooks-alert-published', subject: eventSubjects.alertPublished },
  { service: 'delivery', durable: 'delivery-webhooks-alert-updated', subject: eventSubjects.alertUpdated },
  { service: 'delivery', durable: 'delivery-webhooks-alert-cancelled', subject: eventSubjects.alertCancelled },
  { service: 'delivery', durable: 'delivery-webhooks-relay-approved', subject: eventSubjects.relayApproved },
  { service: 'delivery', durable: 'delivery-webhooks-relay-declined', subject: eventSubjects.relayDeclined },
  { service: 'delivery', durable: 'delivery-webhooks-relay-cancelled', subject: eventSubjects.relayCancelled },
  { service: 'delivery', durable: 'delivery-webhooks-relay-awaiting-review', subject: eventSubjects.relayAwaitingReview },
  { service: 'delivery', durable: 'delivery-webhooks-supporter-consent', subject: eventSubjects.supporterConsentChanged },
  { service: 'delivery', durable: 'delivery-webhooks', subject: eventSubjects.webhookDelivery },
];

/**
 * Streams whose stored messages one service may read one by one and erase
 * (GDPR Art. 17): subscriptions, which owns supporters, removes an erased
 * supporter's address and push subscription from the batches it published
 * (keeping everyone else's: it publishes the batch again without them) and
 * from the jobs, feedback and dead letters that name them
 * (docs/decisions/0024). Nobody else may delete a stored message, and nobody
 * may purge a stream.
 */
export const messageErasers: readonly { stream: string; service: BusService }[] = [
  { stream: 'DELIVERY_BATCHES', service: 'subscriptions' },
  { stream: 'DELIVERY_JOBS', service: 'subscriptions' },
  { stream: 'DELIVERY_FEEDBACK', service: 'subscriptions' },
  { stream: 'DEAD_LETTER', service: 'subscriptions' },
  // Join jobs carry the address and push subscription until subscriptions has worked on them.
  { stream: 'SUPPORTER_JOBS', service: 'subscriptions' },
];

/** Fire-and-forget core NATS subjects (counts only, no personal data): publisher and subscribers. */
export const coreSubjects: readonly { subject: string; publisher: BusService; subscribers: readonly BusService[] }[] = [
  { subject: 'delivery.progress.*', publisher: 'delivery', subscribers: ['gateway'] },
];

/** JetStream key-value buckets and the one service that uses each. */
export const kvBuckets: readonly { bucket: string; service: BusService }[] = [
  { bucket: 'delivery_send_rates', service: 'delivery' },
  // Requests per client address, counted across every gateway (docs/decisions/0022).
  { bucket: 'gateway_client_rates', service: 'gateway' },
];

/** Where a service's replies come back: no other identity may subscribe there, so nobody reads another's replies. */
export const inboxPrefixOf = (service: BusService) => `_INBOX.${service}`;

/**
 * Whether an answer on `subject` may go to `reply`: only into the inbox of a
 * service that may call the subject. A request names its own reply subject,
 * so without this a caller could have the answering service publish, in its
 * own name, into a stream or a KV key it writes to (natsPermissions says the
 * rest).
 */
export function mayAnswerInto(subject: string, reply: string): boolean {
  return (requestAccess[subject]?.callers ?? []).some((caller) => reply.startsWith(`${inboxPrefixOf(caller)}.`));
}

/**
 * The streams a service publishes into (dead letters included): it creates
 * them at start when they are missing, and warns when one differs from the
 * contracts (an operator applies the change: natsPermissions says why).
 */
export function streamsOwnedBy(service: BusService): string[] {
  const published = Object.entries(eventPublishers)
    .filter(([, publisher]) => publisher === service)
    .map(([subject]) => streamFor(subject)?.name);
  const deadLetters = consumers.some((c) => c.service === service) ? [streamFor(deadLetterSubject('x'))?.name] : [];
  return [...new Set([...published, ...deadLetters])].filter((name): name is string => Boolean(name)).sort();
}

/**
 * The streams a service reads but does not publish into: it may create one
 * that is missing (with the contracts' configuration, so it need not wait for
 * the publisher to start).
 */
export function streamsReadBy(service: BusService): string[] {
  const owned = streamsOwnedBy(service);
  const read = consumers.filter((c) => c.service === service).map((c) => streamOf(c.subject));
  return [...new Set(read)].filter((name) => !owned.includes(name)).sort();
}

export interface NatsPermissions {
  publish: string[];
  subscribe: string[];
}

const streamOf = (subject: string) => {
  const stream = streamFor(subject);
  if (!stream) throw new Error(`no stream stores ${subject}`);
  return stream.name;
};

/**
 * The NATS server permissions of one service, derived from the tables above:
 * exactly the subjects it publishes, the requests it may make and answer, its
 * own inbox, and the JetStream API calls about its own streams and consumers.
 *
 * Replies: an answering service may publish into the inboxes of the services
 * that may call it, and nowhere else. (NATS's allow_responses would let it
 * answer on whatever reply subject a request names, so a caller could steer
 * the answer into a stream, a KV key or an ack subject, as the answering
 * service: the gateway's credentials could fill a future batch's subject and
 * have the real batch refused as a repeat.)
 *
 * Streams: a service may create the streams it uses when they are missing,
 * never change one. A stream's configuration says which subjects it captures
 * and where it republishes them: with UPDATE, one stolen credential could make
 * its stream capture other services' traffic (the gateway's replies, with
 * supporter emails and new API tokens) and republish it into its own inbox.
 * Changing a stream is an operator's step (ensureStreams with full rights).
 */
export function natsPermissions(service: BusService): NatsPermissions {
  const publish = new Set<string>();
  const subscribe = new Set<string>([`${inboxPrefixOf(service)}.>`]);
  const jetStream = () => publish.add('$JS.API.INFO');

  for (const [subject, access] of Object.entries(requestAccess)) {
    if (access.callers.includes(service)) publish.add(subject);
    if (access.answeredBy !== service) continue;
    subscribe.add(subject);
    for (const caller of access.callers) publish.add(`${inboxPrefixOf(caller)}.>`);
  }
  for (const [subject, publisher] of Object.entries(eventPublishers)) {
    if (publisher !== service) continue;
    jetStream();
    publish.add(consumerFilterFor(subject));
  }
  for (const name of [...streamsOwnedBy(service), ...streamsReadBy(service)]) {
    jetStream();
    for (const verb of ['CREATE', 'INFO']) publish.add(`$JS.API.STREAM.${verb}.${name}`);
  }
  for (const consumer of consumers.filter((c) => c.service === service)) {
    jetStream();
    const stream = streamOf(consumer.subject);
    const { durable } = consumer;
    publish.add(`$JS.API.STREAM.INFO.${stream}`);
    publish.add(`$JS.API.CONSUMER.CREATE.${stream}.${durable}`);
    publish.add(`$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`);
    publish.add(`$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`);
    publish.add(`$JS.API.CONSUMER.INFO.${stream}.${durable}`);
    publish.add(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`);
    publish.add(`$JS.ACK.${stream}.${durable}.>`);
    publish.add(deadLetterSubject(consumerFilterFor(consumer.subject)));
  }
  for (const { stream } of messageErasers.filter((eraser) => eraser.service === service)) {
    jetStream();
    // INFO lists the stream's subjects, MSG.GET reads one stored message, MSG.DELETE erases it (overwritten on disk).
    for (const verb of ['INFO', 'MSG.GET', 'MSG.DELETE']) publish.add(`$JS.API.STREAM.${verb}.${stream}`);
  }
  for (const core of coreSubjects) {
    if (core.publisher === service) publish.add(core.subject);
    if (core.subscribers.includes(service)) subscribe.add(core.subject);
  }
  for (const { bucket } of kvBuckets.filter((kv) => kv.service === service)) {
    jetStream();
    const stream = `KV_${bucket}`;
    for (const verb of ['CREATE', 'INFO']) publish.add(`$JS.API.STREAM.${verb}.${stream}`);
    publish.add(`$JS.API.STREAM.MSG.GET.${stream}`);
    publish.add(`$JS.API.DIRECT.GET.${stream}.>`);
    publish.add(`$JS.API.DIRECT.GET.${stream}`);
    publish.add(`$KV.${bucket}.>`);
  }
  return { publish: [...publish].sort(), subscribe: [...subscribe].sort() };
}

/**
 * The operator (the launcher, at start, before the services): the one
 * identity that may change a stream's configuration to the contracts'.
 */
export const STREAM_OPERATOR_INBOX = '_INBOX.operator';
export const streamOperatorPermissions: NatsPermissions = {
  // Snapshot and restore are the backup's (docs/operations.md): the operator's seed reads every stream's contents, so guard it like the gateway's.
  publish: [
    '$JS.API.INFO',
    '$JS.API.STREAM.CREATE.*',
    '$JS.API.STREAM.INFO.*',
    '$JS.API.STREAM.UPDATE.*',
    '$JS.API.STREAM.SNAPSHOT.*',
    '$JS.API.STREAM.RESTORE.*',
    // Flow-control acks of a snapshot's chunks, and a restore's chunks.
    '$JS.SNAPSHOT.ACK.>',
    '$JS.SNAPSHOT.RESTORE.>',
  ],
  subscribe: [`${STREAM_OPERATOR_INBOX}.>`],
};

/** Every stream name the table knows (Clarion's streams and the KV buckets' streams). */
export const knownStreamNames = (): string[] => [...streams.map((s) => s.name), ...kvBuckets.map((kv) => `KV_${kv.bucket}`)];
