import { join } from 'node:path';
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { MetadataScanner } from '@nestjs/core';
import { PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { PatternHandler } from '@nestjs/microservices/enums/pattern-handler.enum';
import { AckPolicy, type ConsumerInfo, type JetStreamManager, type NatsConnection } from 'nats';
import { alertsConfigSchema, deliveryConfigSchema, gatewayConfigSchema, subscriptionsConfigSchema } from '@clarion/config';
import { alertRpc, consumerFilterFor, deadLetterSubject, eventSubjects, streamFor, streams, subjectForEvent, subjectMatches } from '@clarion/contracts';
import { testBusEnv, type TestInfra } from '@clarion/testing';
import { standardNetwork } from '../support/standard-network';

/**
 * Events recorded for history and later consumers, with nobody acting on them
 * yet (none since delivery's webhooks read declined relays too).
 */
const RECORD_ONLY: string[] = [];

/** Where a business event may never be bound: the event subjects and their dead letters. */
const durableSubjects = Object.values(eventSubjects)
  .map((subject) => subjectForEvent(subject, 'event-1'))
  .flatMap((subject) => [subject, deadLetterSubject(subject)]);

interface Handler {
  app: string;
  handler: string;
  kind: 'message' | 'event';
  patterns: string[];
}

/** Every @MessagePattern / @EventPattern handler of one built app, found by walking its module tree from dist/ (what runs). */
async function handlersOf(app: string, root: DynamicModule): Promise<Handler[]> {
  const controllers = new Set<Type>();
  const seen = new Set<unknown>();
  const visit = async (entry: Type | DynamicModule | Promise<DynamicModule> | ForwardReference | undefined): Promise<void> => {
    const ref = await entry;
    if (!ref || seen.has(ref)) return;
    seen.add(ref);
    if ('forwardRef' in ref) return visit(ref.forwardRef());
    const moduleClass = 'module' in ref ? ref.module : ref;
    const dynamic: Partial<DynamicModule> = 'module' in ref ? ref : {};
    for (const controller of [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, moduleClass) ?? []), ...(dynamic.controllers ?? [])]) {
      controllers.add(controller);
    }
    for (const imported of [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, moduleClass) ?? []), ...(dynamic.imports ?? [])]) await visit(imported);
  };
  await visit(root);

  const scanner = new MetadataScanner();
  const handlers: Handler[] = [];
  for (const controller of controllers) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const method of scanner.getAllMethodNames(prototype)) {
      const target = prototype[method] as object;
      const patterns: unknown[] | undefined = Reflect.getMetadata(PATTERN_METADATA, target);
      if (!patterns) continue;
      const kind = Reflect.getMetadata(PATTERN_HANDLER_METADATA, target) === PatternHandler.EVENT ? 'event' : 'message';
      handlers.push({ app, handler: `${controller.name}.${method}`, kind, patterns: patterns.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))) });
    }
  }
  return handlers;
}

/* eslint-disable @typescript-eslint/no-require-imports -- the compiled apps, as the services run them */
const builtApps = (): Array<[string, DynamicModule]> => {
  const dist = (app: string, file: string) => require(join(__dirname, '..', '..', 'dist', 'apps', app, 'src', file));
  return [
    ['gateway', dist('gateway', 'gateway.module.js').GatewayModule.forRoot(gatewayConfigSchema.parse(testBusEnv('gateway')))],
    ['alerts', dist('alerts', 'alerts.module.js').AlertsModule.forRoot(alertsConfigSchema.parse(testBusEnv('alerts')))],
    ['subscriptions', dist('subscriptions', 'subscriptions.module.js').SubscriptionsModule.forRoot(subscriptionsConfigSchema.parse(testBusEnv('subscriptions')))],
    ['delivery', dist('delivery', 'delivery.module.js').DeliveryModule.forRoot(deliveryConfigSchema.parse(testBusEnv('delivery')))],
  ];
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface CoreSubscription {
  connection: string;
  subject: string;
  qgroup?: string;
}

/** Every core NATS subscription of Clarion's own connections (named `clarion-…`), from nats-server's monitoring endpoint. */
async function coreSubscriptions(monitorUrl: string): Promise<CoreSubscription[]> {
  const res = await fetch(`${monitorUrl}/connz?subs=detail&limit=10000`, { signal: AbortSignal.timeout(5_000) });
  const connz = (await res.json()) as { connections: Array<{ name?: string; subscriptions_list_detail?: Array<{ subject: string; qgroup?: string }> }> };
  return connz.connections
    .filter((c) => c.name?.startsWith('clarion-'))
    .flatMap((c) => (c.subscriptions_list_detail ?? []).map((s) => ({ connection: c.name!, subject: s.subject, qgroup: s.qgroup })));
}

async function consumersOf(jsm: JetStreamManager): Promise<ConsumerInfo[]> {
  const all: ConsumerInfo[] = [];
  for (const spec of streams) for await (const info of jsm.consumers.list(spec.name)) all.push(info);
  return all;
}

/**
 * "No business event on core NATS fire-and-forget": every handler in the
 * four apps and every subscription the running services hold is checked, and
 * every event is consumed through a durable, explicitly acked JetStream pull
 * consumer on the stream that stores it.
 */
describe('business events are bound to JetStream, never to core NATS', () => {
  const net = standardNetwork();
  let infra: TestInfra;
  let nc: NatsConnection;

  beforeAll(async () => {
    ({ infra } = net);
    nc = await infra.connectHarness();
  });

  afterAll(async () => {
    await nc?.close();
  });

  it('has no @EventPattern handler, and no @MessagePattern on an event subject, in any built app', async () => {
    const handlers = (await Promise.all(builtApps().map(([app, root]) => handlersOf(app, root)))).flat();
    const events = handlers.filter((h) => h.kind === 'event');
    const onEventSubjects = handlers.filter((h) => h.patterns.some((p) => durableSubjects.some((subject) => subjectMatches(p, subject))));
    process.stdout.write(
      `[bindings] handlers: ${handlers.length} (${handlers.filter((h) => h.kind === 'message').length} @MessagePattern, ${events.length} @EventPattern) ` +
        `in ${new Set(handlers.map((h) => h.app)).size} apps; on an event subject: ${onEventSubjects.length}\n`,
    );
    // The walk does find the handlers: a request handler of each back-end service.
    expect(handlers).toContainEqual({ app: 'alerts', handler: 'AlertController.publish', kind: 'message', patterns: [alertRpc.publish] });
    expect(new Set(handlers.map((h) => h.app))).toEqual(new Set(['alerts', 'subscriptions', 'delivery']));
    expect(events).toEqual([]);
    expect(onEventSubjects).toEqual([]);
  });

  it('holds no core NATS subscription on an event subject in any running service', async () => {
    const subscriptions = await coreSubscriptions(infra.natsMonitorUrl);
    const bound = subscriptions.filter((s) => durableSubjects.some((subject) => subjectMatches(s.subject, subject)));
    const connections = [...new Set(subscriptions.map((s) => s.connection))].sort();
    process.stdout.write(
      `[bindings] core subscriptions of ${connections.length} service connections (${connections.join(', ')}): ${subscriptions.length}; on an event subject: ${bound.length}\n`,
    );
    // The scan sees the services' request/reply subscriptions, in their queue groups.
    expect(subscriptions).toContainEqual({ connection: 'clarion-alerts-rpc', subject: alertRpc.publish, qgroup: 'alerts' });
    expect(bound).toEqual([]);
  });

  it('consumes every event through durable, explicitly acked pull consumers on the stream that stores it', async () => {
    const consumers = await consumersOf(await nc.jetstreamManager());
    const bySubject = new Map<string, string[]>();
    // A consumer of a oncePerEventId event filters on every subject of that event (`<subject>.>`).
    const eventByFilter = new Map<string, string>(Object.values(eventSubjects).map((subject) => [consumerFilterFor(subject), subject]));
    const faults: string[] = [];
    for (const { stream_name: stream, config } of consumers) {
      const filter = config.filter_subject ?? '(no filter)';
      const name = config.durable_name ?? config.name ?? '(unnamed)';
      if (!config.durable_name) faults.push(`${stream}/${name}: not durable`);
      if (config.ack_policy !== AckPolicy.Explicit) faults.push(`${stream}/${name}: ack policy ${config.ack_policy}`);
      if (config.deliver_subject) faults.push(`${stream}/${name}: push consumer delivering to ${config.deliver_subject}`);
      if (!((config.max_deliver ?? -1) > 0)) faults.push(`${stream}/${name}: unbounded redelivery`);
      const event = eventByFilter.get(filter);
      if (!event) faults.push(`${stream}/${name}: filter ${filter} is not a contract event`);
      else if (streamFor(subjectForEvent(event, 'event-1'))?.name !== stream) faults.push(`${stream}/${name}: ${event} is stored by ${streamFor(event)?.name}`);
      if (event) bySubject.set(event, [...(bySubject.get(event) ?? []), name]);
    }
    const unconsumed = Object.values(eventSubjects).filter((subject) => !bySubject.has(subject));
    process.stdout.write(
      `[bindings] JetStream consumers: ${consumers.length}\n  ${Object.values(eventSubjects)
        .map((subject) => `${subject} → ${bySubject.get(subject)?.join(', ') ?? (RECORD_ONLY.includes(subject) ? '(record only)' : 'NONE')}`)
        .join('\n  ')}\n`,
    );
    expect(faults).toEqual([]);
    expect(unconsumed.filter((subject) => !RECORD_ONLY.includes(subject))).toEqual([]);
  });
});
