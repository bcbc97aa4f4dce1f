import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { JSONCodec, type NatsConnection } from 'nats';
import { subscriptionsConfigSchema, type SubscriptionsConfig } from '@clarion/config';
import {
  directoryRpc,
  eventSubjects,
  type AlertSnapshot,
  type BusService,
  type CoalitionView,
  type createMembershipInput,
  type Grant,
  type MembershipView,
  type OrganisationView,
  type Principal,
} from '@clarion/contracts';
import { EventPublisher, type Stored } from '@clarion/messaging';
import { hashTokenSecret, newTokenSecret } from '@clarion/security';
import { createServiceApp } from '@clarion/service-kit';
import { startTestInfra, TestRpc, uniqueDbName, type TestInfra } from '@clarion/testing';
import { SubscriptionsModule, type SubscriptionsSeams } from '../subscriptions.module';

/** The service in-process against the harness's real NATS and FerretDB, driven only over NATS. */
export interface SubscriptionsHarness {
  infra: TestInfra;
  app: INestApplication;
  /** Signed in as the gateway, which makes every request with an actor. */
  rpc: TestRpc;
  /** Signed in as another service: the alerts service asks for coalition settings, delivery for sender identities. */
  as(service: BusService): Promise<TestRpc>;
  /** For JetStream: publishing alert facts and reading relay facts. */
  nc: NatsConnection;
  admin: Principal;
  directory: Directory;
  /** Publishes the alert's publication fact as the alerts service does; the message id is its dedupe key. */
  publishAlert(alert: AlertSnapshot, msgId?: string): Promise<Stored>;
  /** A second subscriptions process on the same database and bus: requests are shared between the two, as between replicas. */
  startReplica(): Promise<void>;
  stop(): Promise<void>;
}

export const hex24 = () => randomBytes(12).toString('hex');

export function subscriptionsConfig(infra: TestInfra, database: string, env: Record<string, string> = {}): SubscriptionsConfig {
  return subscriptionsConfigSchema.parse({
    NATS_URL: infra.natsUrl,
    ...infra.busEnv('subscriptions'),
    MONGO_URL: infra.mongoUrl(database),
    HTTP_PORT: '0',
    LOG_LEVEL: 'warn',
    ...env,
  });
}

/**
 * Starts the service and waits until it answers: Nest sends its NATS
 * subscriptions without waiting for the server to register them, so a request
 * right after start can find nobody listening.
 */
export async function startSubscriptions(config: SubscriptionsConfig, rpc: TestRpc, seams: SubscriptionsSeams = {}): Promise<INestApplication> {
  const app = await createServiceApp({ service: 'subscriptions', module: SubscriptionsModule.forRoot(config, seams), config });
  await eventually(async () => {
    const reply = await rpc.request(directoryRpc.resolveToken, { tokenHash: hashTokenSecret('clr_probe') }, 1_000).catch((error: unknown) => error);
    return (reply as { statusCode?: number }).statusCode === 401 ? true : undefined;
  });
  return app;
}

export async function startHarness(options: { env?: Record<string, string>; seams?: SubscriptionsSeams } = {}): Promise<SubscriptionsHarness> {
  const infra = await startTestInfra();
  // Alert facts come from the test, not from alerts (which owns their stream).
  await infra.provisionStreams();
  const adminSecret = `clr_${randomBytes(24).toString('base64url')}`;
  const rpc = await TestRpc.connect(infra);
  const config = subscriptionsConfig(infra, uniqueDbName('subs'), { BOOTSTRAP_ADMIN_TOKEN: adminSecret, ...options.env });
  const app = await startSubscriptions(config, rpc, options.seams);
  const replicas: INestApplication[] = [];
  const nc = await infra.connectHarness();
  const admin = await rpc.request(directoryRpc.resolveToken, { tokenHash: hashTokenSecret(adminSecret) });
  const others = new Map<BusService, Promise<TestRpc>>();
  const publisher = new EventPublisher(nc.jetstream());
  return {
    infra,
    app,
    rpc,
    as: (service) => {
      if (!others.has(service)) others.set(service, TestRpc.connect(infra, service));
      return others.get(service)!;
    },
    nc,
    admin,
    directory: new Directory(rpc, admin),
    publishAlert: (alert, msgId = `alert:${alert.alertId}:v${alert.version}:published`) =>
      publisher.publish(eventSubjects.alertPublished, { eventId: msgId, occurredAt: alert.publishedAt, alert }, { msgId }),
    startReplica: async () => {
      replicas.push(await startSubscriptions(config, rpc, options.seams));
    },
    stop: async () => {
      await Promise.all([...others.values()].map(async (other) => (await other).close()));
      await rpc.close();
      await nc.close();
      await Promise.all([app, ...replicas].map((each) => each.close()));
      await infra.stop();
    },
  };
}

/** An alert as the alerts service publishes it, for this coalition. */
export function alertSnapshot(coalitionId: string, overrides: Partial<AlertSnapshot> = {}): AlertSnapshot {
  return {
    alertId: hex24(),
    coalitionId,
    version: 1,
    primaryLanguage: 'en',
    texts: { en: { title: 'Free the Nairobi Four', body: 'Act now.', bodyHtml: '<p>Act now.</p>', ctaLabel: 'Sign' } },
    ctaUrl: 'https://example.org/act',
    urgency: 'high',
    topics: ['civic-space'],
    regions: ['KE'],
    publishedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** A membership as a caller sends it (defaults not yet applied), without the coalition. */
export type MembershipRequest = Omit<z.input<typeof createMembershipInput>, 'coalitionId'>;

/** Fresh tenants for each test, made through the service's own subjects. */
export class Directory {
  constructor(
    private readonly rpc: TestRpc,
    private readonly admin: Principal,
  ) {}

  organisation(): Promise<OrganisationView> {
    const slug = `org-${hex24()}`;
    const input = { name: `Org ${slug}`, slug, country: 'KE', languages: ['en', 'sw'], branding: { senderName: `Org ${slug}` } };
    return this.rpc.request(directoryRpc.createOrganisation, { actor: this.admin, input });
  }

  coalition(requireSecondApproval = false): Promise<CoalitionView> {
    const slug = `coalition-${hex24()}`;
    return this.rpc.request(directoryRpc.createCoalition, { actor: this.admin, input: { name: `Coalition ${slug}`, slug, requireSecondApproval } });
  }

  /** A token with this grant (its secret made here, as the gateway does), resolved into the principal the gateway would pass. */
  async actor(grant: Grant, name = `${grant.role} token`): Promise<Principal> {
    const tokenHash = hashTokenSecret(newTokenSecret());
    await this.rpc.request(directoryRpc.createToken, { actor: this.admin, input: { name, grant }, tokenHash });
    return this.rpc.request(directoryRpc.resolveToken, { tokenHash });
  }

  /** Two organisations and a coalition, each with its people. */
  async tenants() {
    const [org, otherOrg, coalition] = await Promise.all([this.organisation(), this.organisation(), this.coalition()]);
    const [orgAdmin, orgEditor, otherOrgAdmin, coordinator] = await Promise.all([
      this.actor({ role: 'org_admin', orgId: org.id }),
      this.actor({ role: 'org_editor', orgId: org.id }),
      this.actor({ role: 'org_admin', orgId: otherOrg.id }),
      this.actor({ role: 'coordinator', coalitionId: coalition.id }),
    ]);
    return { org, otherOrg, coalition, orgAdmin, orgEditor, otherOrgAdmin, coordinator };
  }

  /** Invited by the admin, joined by the organisation's own admin. */
  async join(coalitionId: string, orgId: string, orgAdmin: Principal, input: MembershipRequest): Promise<MembershipView> {
    await this.rpc.request(directoryRpc.createInvitation, { actor: this.admin, coalitionId, input: { orgId } });
    return this.rpc.request(directoryRpc.createMembership, { actor: orgAdmin, orgId, input: { coalitionId, ...input } });
  }
}

/** Polls until the probe returns a value, or fails with what it last saw. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface StoredEvent {
  subject: string;
  msgId: string;
  // Tests assert on payloads of several event types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload: any;
}

/** Every message a stream holds, in order, read straight from JetStream. */
export async function streamMessages(nc: NatsConnection, stream: string): Promise<StoredEvent[]> {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(stream);
  const codec = JSONCodec();
  const found: StoredEvent[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
    if (message) found.push({ subject: message.subject, msgId: message.header.get('Nats-Msg-Id'), payload: codec.decode(message.data) });
  }
  return found;
}
