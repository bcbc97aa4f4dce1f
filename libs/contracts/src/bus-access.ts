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
  [eventSubjects.relayApproved]: 'subscriptions',
  [eventSubjects.relayDeclined]: 'subscriptions',
  [eventSubjects.relayCancelled]: 'subscriptions',
  [eventSubjects.deliveryBatch]: 'subscriptions',
  [eventSubjects.confirmationEmail]: 'subscriptions',
  [eventSubjects.pushGone]: 'delivery',
  [eventSubjects.emailRejected]: 'delivery',
  [eventSubjects.resendRequested]: 'delivery',
};

export const consumers: readonly ConsumerAccess[] = [
  { service: 'subscriptions', durable: 'subscriptions-relays-published', subject: eventSubjects.alertPublished },
  { service: 'subscriptions', durable: 'subscriptions-relays-updated', subject: eventSubjects.alertUpdated },
  { service: 'subscriptions', durable: 'subscriptions-relays-cancelled', subject: eventSubjects.alertCancelled },
  { service: 'subscriptions', durable: 'subscriptions-alert-snapshots-published', subject: eventSubjects.alertPublished },
  { service: 'subscriptions', durable: 'subscriptions-alert-snapshots-updated', subject: eventSubjects.alertUpdated },
  { service: 'subscriptions', durable: 'subscriptions-fan-out', subject: eventSubjects.relayApproved },
  { service: 'subscriptions', durable: 'subscriptions-feedback-push-gone', subject: eventSubjects.pushGone },
  { service: 'subscriptions', durable: 'subscriptions-feedback-email-rejected', subject: eventSubjects.emailRejected },
  { service: 'subscriptions', durable: 'subscriptions-resends', subject: eventSubjects.resendRequested },
  { service: 'delivery', durable: 'delivery-relay-cancelled', subject: eventSubjects.relayCancelled },
  { service: 'delivery', durable: 'delivery-confirmations', subject: eventSubjects.confirmationEmail },
  { service: 'delivery', durable: 'delivery-batches', subject: eventSubjects.deliveryBatch },
];

/** Fire-and-forget core NATS subjects (counts only, no personal data): publisher and subscribers. */
export const coreSubjects: readonly { subject: string; publisher: BusService; subscribers: readonly BusService[] }[] = [
  { subject: 'delivery.progress.*', publisher: 'delivery', subscribers: ['gateway'] },
];

/** JetStream key-value buckets and the one service that uses each. */
export const kvBuckets: readonly { bucket: string; service: BusService }[] = [{ bucket: 'delivery_send_rates', service: 'delivery' }];

/** Where a service's replies come back: no other identity may subscribe there, so nobody reads another's replies. */
export const inboxPrefixOf = (service: BusService) => `_INBOX.${service}`;

/**
 * The streams a service creates and keeps configured at start: those it
 * publishes into (dead letters included). Only these may it change.
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
 * the publisher to start), never change one that exists.
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
 * Replies go out through allow_responses, so no service may publish into
 * another's inbox unasked.
 */
export function natsPermissions(service: BusService): NatsPermissions {
  const publish = new Set<string>();
  const subscribe = new Set<string>([`${inboxPrefixOf(service)}.>`]);
  const jetStream = () => publish.add('$JS.API.INFO');

  for (const [subject, access] of Object.entries(requestAccess)) {
    if (access.callers.includes(service)) publish.add(subject);
    if (access.answeredBy === service) subscribe.add(subject);
  }
  for (const [subject, publisher] of Object.entries(eventPublishers)) {
    if (publisher !== service) continue;
    jetStream();
    publish.add(consumerFilterFor(subject));
  }
  for (const name of streamsOwnedBy(service)) {
    jetStream();
    for (const verb of ['CREATE', 'UPDATE', 'INFO']) publish.add(`$JS.API.STREAM.${verb}.${name}`);
  }
  for (const name of streamsReadBy(service)) {
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
  for (const core of coreSubjects) {
    if (core.publisher === service) publish.add(core.subject);
    if (core.subscribers.includes(service)) subscribe.add(core.subject);
  }
  for (const { bucket } of kvBuckets.filter((kv) => kv.service === service)) {
    jetStream();
    const stream = `KV_${bucket}`;
    for (const verb of ['CREATE', 'UPDATE', 'INFO']) publish.add(`$JS.API.STREAM.${verb}.${stream}`);
    publish.add(`$JS.API.STREAM.MSG.GET.${stream}`);
    publish.add(`$JS.API.DIRECT.GET.${stream}.>`);
    publish.add(`$JS.API.DIRECT.GET.${stream}`);
    publish.add(`$KV.${bucket}.>`);
  }
  return { publish: [...publish].sort(), subscribe: [...subscribe].sort() };
}

/** Every stream name the table knows (Clarion's streams and the KV buckets' streams). */
export const knownStreamNames = (): string[] => [...streams.map((s) => s.name), ...kvBuckets.map((kv) => `KV_${kv.bucket}`)];
