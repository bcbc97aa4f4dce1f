import { connect, nkeyAuthenticator, type Msg, type NatsConnection } from 'nats';
import { createUser } from 'nkeys.js';
import {
  BUS_SERVICES,
  consumers,
  coreSubjects,
  deadLetterSubject,
  eventPublishers,
  eventSubjects,
  inboxPrefixOf,
  knownStreamNames,
  kvBuckets,
  messageErasers,
  natsPermissions,
  requestAccess,
  streamFor,
  subjectForEvent,
  subjectMatches,
  type BusService,
} from '@clarion/contracts';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { connectWatched, type Watched } from './support/watched-connection';

/**
 * The closed bus's permission matrix (docs/decisions/0018): every service's
 * credentials × every subject the contracts know × publish, subscribe and request, against a real
 * nats-server configured from the contracts' table. Each cell must be allowed
 * exactly where natsPermissions says, and seen so from both sides: an allowed
 * publish reaches the harness (and the server raises no violation), a refused
 * one raises a violation (and reaches nobody); an allowed subscription
 * receives the harness's message, a refused one raises a violation. A flush on
 * each connection bounds every wait, so no check sleeps.
 */

const EVENT_ID = 'matrix-event-1';
const unique = <T>(items: T[]) => [...new Set(items)];

/** Every concrete subject the contracts know: what a client could publish to. */
function concreteSubjects(): string[] {
  const events = Object.keys(eventPublishers).map((subject) => subjectForEvent(subject, EVENT_ID));
  const jetStreamApi = [
    '$JS.API.INFO',
    '$JS.API.STREAM.LIST',
    '$JS.API.STREAM.NAMES',
    ...knownStreamNames().flatMap((stream) => [
      ...['INFO', 'CREATE', 'UPDATE', 'DELETE', 'PURGE', 'MSG.GET', 'MSG.DELETE', 'SNAPSHOT'].map((verb) => `$JS.API.STREAM.${verb}.${stream}`),
      `$JS.API.DIRECT.GET.${stream}`,
      `$JS.API.DIRECT.GET.${stream}.some.subject`,
      `$JS.API.CONSUMER.LIST.${stream}`,
      `$JS.API.CONSUMER.NAMES.${stream}`,
      // An ephemeral consumer, and a durable no service owns.
      `$JS.API.CONSUMER.CREATE.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}.intruder`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.intruder`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.intruder`,
    ]),
    ...consumers.flatMap(({ subject, durable }) => {
      const stream = streamFor(subject)!.name;
      return [
        `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
        `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${subjectForEvent(subject, EVENT_ID)}`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
        `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
        `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
        `$JS.API.CONSUMER.DELETE.${stream}.${durable}`,
        `$JS.ACK.${stream}.${durable}.1.1.1.1765000000000000000.0`,
      ];
    }),
  ];
  return unique([
    ...Object.keys(requestAccess),
    ...events,
    // The bare subject of a per-event stream, which nobody publishes on.
    eventSubjects.deliveryBatch,
    ...events.map(deadLetterSubject),
    ...coreSubjects.map((core) => core.subject.replace('*', 'matrix-alert-1')),
    ...jetStreamApi,
    ...kvBuckets.map((kv) => `$KV.${kv.bucket}.matrix-key`),
    ...BUS_SERVICES.map((service) => `${inboxPrefixOf(service)}.matrix`),
    'anything.else',
  ]);
}

/** What a snooper would subscribe to: every concrete subject and the wildcards over them. */
function subscriptionSubjects(): string[] {
  return unique([
    ...concreteSubjects(),
    '>',
    'delivery.>',
    '_INBOX.>',
    '$JS.>',
    '$JS.API.>',
    '$JS.ACK.>',
    '$KV.>',
    'deadletter.>',
    'alerts.>',
    'relays.>',
    'subscriptions.>',
    'delivery.progress.>',
    `${eventSubjects.deliveryBatch}.>`,
    `${eventSubjects.deliveryBatch}.*`,
    ...coreSubjects.map((core) => core.subject),
    ...BUS_SERVICES.map((service) => `${inboxPrefixOf(service)}.>`),
  ]);
}

/**
 * Whether the allow-list entry `pattern` admits `subject`, as nats-server
 * decides it: the subject's tokens matched literally, so a subscription to
 * `a.>` is admitted by an allowed `a.*` (its `>` is one token, which `*`
 * matches) — which is how the contracts' subjectMatches reads a subject too.
 */
const covers = subjectMatches;

const allowedBy = (patterns: string[], subject: string) => patterns.some((pattern) => covers(pattern, subject));

/** A subject a wildcard subscription matches (the subject itself when it has none). */
const instanceOf = (subject: string) => subject.replace(/\*/g, 'x').replace(/>$/, 'x.y');

describe('the bus permission matrix, generated from the contracts table', () => {
  let infra: TestInfra;
  let harness: NatsConnection;
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    infra = await startTestInfra();
    harness = await infra.connectHarness();
    open.push(harness);
  });

  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
    await infra?.stop();
  });

  async function connectAs(service: BusService, label: string): Promise<Watched> {
    const watched = await connectWatched(infra, service, `matrix-${label}-${service}`);
    open.push(watched.nc);
    return watched;
  }

  it('derives permissions that keep each service to its own part of the table', () => {
    for (const service of BUS_SERVICES) {
      const { publish, subscribe } = natsPermissions(service);
      // Nobody but the answering service hears a request; nobody but its caller reads an inbox.
      for (const [subject, access] of Object.entries(requestAccess)) {
        expect({ service, subject, subscribe: allowedBy(subscribe, subject) }).toEqual({ service, subject, subscribe: access.answeredBy === service });
        expect({ service, subject, publish: allowedBy(publish, subject) }).toEqual({ service, subject, publish: access.callers.includes(service) });
      }
      for (const other of BUS_SERVICES) {
        expect({ service, other, inbox: allowedBy(subscribe, `${inboxPrefixOf(other)}.x`) }).toEqual({ service, other, inbox: other === service });
      }
      // Events are read through JetStream consumers, never on core NATS; only their one publisher writes them.
      for (const [subject, publisher] of Object.entries(eventPublishers)) {
        const concrete = subjectForEvent(subject, EVENT_ID);
        expect({ service, concrete, subscribe: allowedBy(subscribe, concrete) }).toEqual({ service, concrete, subscribe: false });
        expect({ service, concrete, publish: allowedBy(publish, concrete) }).toEqual({ service, concrete, publish: publisher === service });
      }
      // A `*` the server allows admits a `>` in its place (see covers): what a service hears that way is only what it may read or sends itself.
      for (const pattern of subscribe.filter((p) => p.includes('*'))) {
        const widened = pattern.replace(/\*.*$/, '>');
        for (const subject of concreteSubjects().filter((c) => covers(widened, c))) {
          expect({ service, widened, subject, own: allowedBy(subscribe, subject) || allowedBy(publish, subject) }).toEqual({ service, widened, subject, own: true });
        }
      }
      // No service deletes or purges a Clarion stream, or changes one once made; only an eraser (messageErasers) erases stored messages, one at a time.
      for (const stream of knownStreamNames()) {
        const erases = messageErasers.some((eraser) => eraser.service === service && eraser.stream === stream);
        for (const verb of ['UPDATE', 'DELETE', 'PURGE', 'MSG.DELETE', 'SNAPSHOT']) {
          const allowed = erases && verb === 'MSG.DELETE';
          expect({ service, api: `${verb}.${stream}`, publish: allowedBy(publish, `$JS.API.STREAM.${verb}.${stream}`) }).toEqual({
            service,
            api: `${verb}.${stream}`,
            publish: allowed,
          });
        }
      }
    }
  });

  it.each(BUS_SERVICES)('publish as %s: allowed exactly where natsPermissions says', async (service) => {
    const subjects = concreteSubjects();
    const seen = new Set<string>();
    const marker = `matrix-publish-${service}-`;
    const sniffer = harness.subscribe('>', {
      callback: (_error, msg: Msg) => {
        const body = msg.string();
        if (body.startsWith(marker)) seen.add(body);
      },
    });
    await harness.flush();
    const { nc, violations } = await connectAs(service, 'publish');
    // Not JSON: a JetStream API subject that lets the publish through answers "bad request" and changes nothing.
    subjects.forEach((subject, i) => nc.publish(subject, `${marker}${i}`));
    await nc.flush();
    await harness.flush();
    sniffer.unsubscribe();

    const allow = natsPermissions(service).publish;
    const wrong = subjects
      .map((subject, i) => ({ subject, expected: allowedBy(allow, subject), delivered: seen.has(`${marker}${i}`), refused: violations.has(`publish ${subject}`) }))
      .filter(({ expected, delivered, refused }) => delivered !== expected || refused === expected);
    expect(wrong).toEqual([]);
    process.stdout.write(`[matrix] publish as ${service}: ${subjects.length} subjects, ${subjects.filter((s) => allowedBy(allow, s)).length} allowed\n`);
  });

  it.each(BUS_SERVICES)('subscribe as %s: allowed exactly where natsPermissions says', async (service) => {
    const subjects = subscriptionSubjects();
    const { nc, violations } = await connectAs(service, 'subscribe');
    const received = subjects.map(() => new Set<string>());
    subjects.forEach((subject, i) => nc.subscribe(subject, { callback: (error, msg) => !error && received[i].add(msg.string()) }));
    await nc.flush();
    subjects.forEach((subject, i) => harness.publish(instanceOf(subject), `matrix-subscribe-${service}-${i}`));
    await harness.flush();
    await nc.flush();

    const allow = natsPermissions(service).subscribe;
    const wrong = subjects
      .map((subject, i) => ({
        subject,
        expected: allowedBy(allow, subject),
        received: received[i].has(`matrix-subscribe-${service}-${i}`),
        refused: violations.has(`subscription ${subject}`),
      }))
      .filter(({ expected, received: got, refused }) => got !== expected || refused === expected);
    expect(wrong).toEqual([]);
  });

  it('request/reply: each service asks exactly the subjects it is a caller of, and the answering service answers into its inbox', async () => {
    const subjects = Object.keys(requestAccess);
    const responders = new Map<BusService, Watched>();
    for (const answering of unique(subjects.map((subject) => requestAccess[subject].answeredBy))) {
      const responder = await connectAs(answering, 'responder');
      responders.set(answering, responder);
      for (const subject of subjects.filter((s) => requestAccess[s].answeredBy === answering)) {
        responder.nc.subscribe(subject, { callback: (error, msg) => !error && msg.respond(`answered ${subject}`) });
      }
      await responder.nc.flush();
    }
    const wrong: object[] = [];
    for (const caller of BUS_SERVICES) {
      const { nc } = await connectAs(caller, 'requester');
      const outcomes = await Promise.all(
        subjects.map((subject) =>
          nc.request(subject, 'matrix-request', { timeout: 3_000 }).then(
            (reply) => (reply.string() === `answered ${subject}` ? 'answered' : 'wrong answer'),
            (error: Error & { code?: string }) => error.code ?? error.message,
          ),
        ),
      );
      subjects.forEach((subject, i) => {
        const expected = requestAccess[subject].callers.includes(caller) ? 'answered' : 'PERMISSIONS_VIOLATION';
        if (outcomes[i] !== expected) wrong.push({ caller, subject, expected, got: outcomes[i] });
      });
    }
    expect(wrong).toEqual([]);
    // Every answer went into a caller's inbox, so no responder was refused one.
    for (const [service, { violations }] of responders) expect({ service, violations: [...violations] }).toEqual({ service, violations: [] });
  });

  it('lets an answering service answer only into its callers’ inboxes or subjects it publishes itself, wherever a request says to reply', async () => {
    // The harness plays a caller that names a reply subject of its choosing; each answering service answers everything.
    const steeredTo = [
      subjectForEvent(eventSubjects.deliveryBatch, 'steered-batch'),
      eventSubjects.confirmationEmail,
      eventSubjects.alertPublished,
      deadLetterSubject(eventSubjects.relayApproved),
      '$KV.delivery_send_rates.steered',
      '$JS.API.STREAM.DELETE.ALERTS',
      '$JS.ACK.DELIVERY_BATCHES.delivery-batches.1.1.1.1765000000000000000.0',
      'delivery.progress.steered',
      ...BUS_SERVICES.map((service) => `${inboxPrefixOf(service)}.steered`),
    ];
    const subjects = Object.keys(requestAccess);
    const responders = new Map<BusService, Watched>();
    for (const answering of unique(subjects.map((subject) => requestAccess[subject].answeredBy))) {
      const responder = await connectAs(answering, 'steered');
      responders.set(answering, responder);
      for (const subject of subjects.filter((s) => requestAccess[s].answeredBy === answering)) {
        responder.nc.subscribe(subject, { callback: (error, msg) => !error && msg.respond(`steered answer ${subject}`) });
      }
      await responder.nc.flush();
    }
    const seen = new Set<string>();
    const sniffer = harness.subscribe('>', {
      callback: (_error, msg) => {
        const body = msg.string();
        if (body.startsWith('steered answer ')) seen.add(`${body.slice('steered answer '.length)} → ${msg.subject}`);
      },
    });
    await harness.flush();
    for (const subject of subjects) for (const reply of steeredTo) harness.publish(subject, 'steer', { reply });
    await harness.flush();
    // The first flush returns once the requests arrived (and were answered); the second once the server took the answers.
    for (const { nc } of responders.values()) await nc.flush();
    for (const { nc } of responders.values()) await nc.flush();
    await harness.flush();
    sniffer.unsubscribe();

    const wrong: object[] = [];
    for (const subject of subjects) {
      const { answeredBy, callers } = requestAccess[subject];
      const { violations } = responders.get(answeredBy)!;
      for (const reply of steeredTo) {
        // The server lets an answer through exactly where the table does: a caller's inbox, or a subject the service publishes itself.
        // (A request naming an ack subject as its reply never reaches the service: nats-server drops it.)
        const reserved = reply.startsWith('$JS.ACK.');
        const expected = !reserved && allowedBy(natsPermissions(answeredBy).publish, reply);
        const delivered = seen.has(`${subject} → ${reply}`);
        const refused = violations.has(`publish ${reply}`);
        if (delivered !== expected || (!reserved && refused === expected)) wrong.push({ subject, reply, expected, delivered, refused });
        if (!expected && callers.some((caller) => reply.startsWith(`${inboxPrefixOf(caller)}.`))) wrong.push({ subject, reply, problem: 'a caller’s inbox refused' });
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses a client without credentials, and one with a made-up NKey, at connect', async () => {
    const attempt = (extra: object) =>
      connect({ servers: infra.natsUrl, reconnect: false, maxReconnectAttempts: 0, timeout: 5_000, ...extra }).then(
        async (nc) => {
          await nc.close();
          return 'connected';
        },
        (error: Error & { code?: string }) => error.code ?? error.message,
      );
    expect(await attempt({})).toBe('AUTHORIZATION_VIOLATION');
    expect(await attempt({ user: 'gateway', pass: 'gateway' })).toBe('AUTHORIZATION_VIOLATION');
    expect(await attempt({ authenticator: nkeyAuthenticator(createUser().getSeed()) })).toBe('AUTHORIZATION_VIOLATION');
    // The control: a service's own seed is let in.
    expect(await attempt({ authenticator: nkeyAuthenticator(new TextEncoder().encode(infra.busSettings('alerts').seed)) })).toBe('connected');
  });
});
