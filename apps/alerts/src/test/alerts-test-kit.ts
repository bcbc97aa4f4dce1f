import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { alertsConfigSchema } from '@clarion/config';
import { directoryRpc, eventContracts, type EventPayload, type EventSubject, type Principal, type ReplyOf } from '@clarion/contracts';
import { createServiceApp } from '@clarion/service-kit';
import { startTestInfra, TestRpc, uniqueDbName, type TestInfra } from '@clarion/testing';
import { AlertsModule } from '../alerts.module';

/** What integration tests of the alerts service share: the service in-process, principals, the directory's answers, events. */

export const hex24 = () => randomUUID().replace(/-/g, '').slice(0, 24);

export function startAlerts(infra: TestInfra, database: string): Promise<INestApplication> {
  const config = alertsConfigSchema.parse({ NATS_URL: infra.natsUrl, ...infra.busEnv('alerts'), MONGO_URL: infra.mongoUrl(database), HTTP_PORT: '0', LOG_LEVEL: 'warn' });
  return createServiceApp({ service: 'alerts', module: AlertsModule.forRoot(config), config });
}

/** The service in-process against real NATS and FerretDB, with the directory's answers played by the test. */
export interface AlertsHarness {
  infra: TestInfra;
  /** For reading the ALERTS stream. */
  nc: NatsConnection;
  /** Signed in as the gateway. */
  rpc: TestRpc;
  /** The running service; `restart` replaces it. */
  app: INestApplication;
  /** Closes the service and starts it again on the same database, as after a crash or a deploy. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAlertsHarness(
  requiresSecondApproval: (coalitionId: string) => boolean = () => false,
  database = uniqueDbName('alerts'),
): Promise<AlertsHarness> {
  const infra = await startTestInfra();
  const nc = await infra.connectHarness();
  answerCoalitionSettings(nc, requiresSecondApproval);
  const harness: AlertsHarness = {
    infra,
    nc,
    app: await startAlerts(infra, database),
    rpc: await TestRpc.connect(infra),
    restart: async () => {
      await harness.app.close();
      harness.app = await startAlerts(infra, database);
    },
    stop: async () => {
      await harness.rpc.close();
      await harness.app.close();
      await nc.close();
      await infra.stop();
    },
  };
  return harness;
}

export const coordinatorOf = (coalitionId: string, name = 'coordinator'): Principal => ({
  tokenId: hex24(),
  name,
  grant: { role: 'coordinator', coalitionId },
});
export const networkAdmin = (): Principal => ({ tokenId: hex24(), name: 'admin', grant: { role: 'admin' } });
export const orgEditor = (): Principal => ({ tokenId: hex24(), name: 'editor', grant: { role: 'org_editor', orgId: hex24() } });

export const alertInput = (overrides: Record<string, unknown> = {}) => ({
  primaryLanguage: 'en',
  texts: { en: { title: 'Free the Nairobi 12', body: 'They were arrested **today**. Call the ministry.', ctaLabel: 'Call now' } },
  ctaUrl: 'https://example.org/act',
  urgency: 'high' as const,
  topics: ['civic-space'],
  regions: ['KE'],
  ...overrides,
});

/**
 * Answers `coalitionSettings` as the subscriptions service does, in Nest's
 * NATS wire format (`{ pattern, data, id }` in, `{ id, response, isDisposed }`
 * out): the other service's public contract, which is not running here.
 */
export function answerCoalitionSettings(nc: NatsConnection, requiresSecondApproval: (coalitionId: string) => boolean): Subscription {
  const codec = JSONCodec<{ id: string; data: { coalitionId: string } }>();
  return nc.subscribe(directoryRpc.coalitionSettings, {
    callback: (_error, msg) => {
      const request = codec.decode(msg.data);
      const { coalitionId } = request.data;
      const response: ReplyOf<typeof directoryRpc.coalitionSettings> = { coalitionId, requireSecondApproval: requiresSecondApproval(coalitionId) };
      msg.respond(JSONCodec().encode({ id: request.id, response, isDisposed: true }));
    },
  });
}

/** Every event stored on `subject` in the ALERTS stream, oldest first. */
export async function eventsOn<S extends EventSubject>(nc: NatsConnection, subject: S): Promise<EventPayload<S>[]> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info('ALERTS');
  const events: EventPayload<S>[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const message = await jsm.streams.getMessage('ALERTS', { seq });
    if (message.subject === subject) events.push(eventContracts[subject].parse(message.json()) as EventPayload<S>);
  }
  return events;
}

export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
