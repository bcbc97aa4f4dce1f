import { Controller, Inject, Module, type DynamicModule, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { JSONCodec, type NatsConnection } from 'nats';
import { randomBytes } from 'node:crypto';
import webpush from 'web-push';
import { deliveryConfigSchema, type DeliveryConfig } from '@clarion/config';
import {
  eventSubjects,
  supporterRpc,
  type DeliveryBatch,
  type EventPayload,
  type EventSubject,
  type Recipient,
  type RelayContent,
  type SenderIdentityView,
  type ValidRequestOf,
} from '@clarion/contracts';
import { sealSmtpUrl, sealVapidPrivateKey, SecretSealer } from '@clarion/security';
import { EventPublisher, natsClientOptions, RequestHandler } from '@clarion/messaging';
import { createServiceApp } from '@clarion/service-kit';
import { PushService, SmtpSink, type PushFault, type RecipientFault } from '@clarion/sinks';
import { startTestInfra, TestRpc, uniqueDbName, type TestInfra } from '@clarion/testing';
import { DeliveryModule, type DeliverySeams } from '../delivery.module';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import { sampleRelay } from './sample-relay';

export const PUBLIC_BASE_URL = 'https://clarion.test';
export const SECRET_KEY = 'delivery-integration-tests-secret-key';

/** A ledger record as stored. */
export interface LedgerRecord {
  _id: { toHexString(): string };
  relayId: string;
  supporterId: string;
  channel: 'email' | 'push';
  state: string;
  attempts: number;
  lastError?: string;
}

/** What the sinks answer instead of accepting, and what the push service was asked to deliver. */
export interface SinkFaults {
  /** Per address, one scripted SMTP reply per RCPT TO; accepted once none are left. */
  smtp: Map<string, RecipientFault[]>;
  /** Per push subscription id, one scripted answer per push; accepted once none are left. */
  push: Map<string, PushFault[]>;
  /** Subscription ids of every push request, answered or not. */
  pushesAsked: string[];
}

const IDENTITIES = Symbol('IDENTITIES');

/** `subscriptions`' side of supporterRpc.senderIdentity, as its public contract says it answers: secrets sealed to delivery's key. */
@Controller()
class SenderIdentityResponder {
  constructor(
    @Inject(IDENTITIES) private readonly identities: Map<string, SenderIdentity>,
    private readonly sealer: SecretSealer,
  ) {}

  @RequestHandler(supporterRpc.senderIdentity)
  answer({ orgId }: ValidRequestOf<typeof supporterRpc.senderIdentity>): SenderIdentityView {
    const identity = this.identities.get(orgId);
    if (!identity) throw new Error(`no organisation ${orgId}`);
    const { vapid, smtp } = identity;
    return {
      orgId,
      senderName: identity.senderName,
      vapid: { publicKey: vapid.publicKey, privateKeySealed: sealVapidPrivateKey(this.sealer, orgId, vapid.privateKey), subject: vapid.subject },
      ...(smtp ? { smtp: { ...sealSmtpUrl(this.sealer, orgId, smtp.url), from: smtp.from } } : {}),
    };
  }
}

@Module({})
class SenderIdentityResponderModule {
  static with(identities: Map<string, SenderIdentity>, sealer: SecretSealer): DynamicModule {
    return {
      module: SenderIdentityResponderModule,
      controllers: [SenderIdentityResponder],
      providers: [
        { provide: IDENTITIES, useValue: identities },
        { provide: SecretSealer, useValue: sealer },
      ],
    };
  }
}

const hex24 = () => randomBytes(12).toString('hex');

/**
 * The delivery service in-process against real NATS and FerretDB, a real SMTP
 * sink and a real push service, with `subscriptions` stood in for by a NATS
 * responder answering senderIdentity.
 */
export class DeliveryTestBed {
  private readonly codec = JSONCodec();

  private constructor(
    /** What the stand-in for subscriptions answers, by organisation id. */
    readonly identities: Map<string, SenderIdentity>,
    /** Scripted answers of the sinks; see SinkFaults. */
    readonly faults: SinkFaults,
    readonly infra: TestInfra,
    readonly smtp: SmtpSink,
    readonly push: PushService,
    readonly nc: NatsConnection,
    readonly rpc: TestRpc,
    private readonly responder: INestMicroservice,
    readonly app: INestApplication,
    readonly config: DeliveryConfig,
  ) {}

  static async start(name: string, config: Record<string, string> = {}, seams: DeliverySeams = {}): Promise<DeliveryTestBed> {
    const faults: SinkFaults = { smtp: new Map(), push: new Map(), pushesAsked: [] };
    const infra = await startTestInfra();
    // Batches come from the test, not from subscriptions (which owns their stream).
    await infra.provisionStreams();
    const smtp = await SmtpSink.start({ onRecipient: (address) => faults.smtp.get(address)?.shift() });
    const push = await PushService.start({
      onPush: (subscriptionId) => {
        faults.pushesAsked.push(subscriptionId);
        return faults.push.get(subscriptionId)?.shift();
      },
    });
    const nc = await infra.connectHarness();
    const rpc = await TestRpc.connect(infra);
    const identities = new Map<string, SenderIdentity>();
    const responder = await NestFactory.createMicroservice(SenderIdentityResponderModule.with(identities, new SecretSealer(infra.bus.senderSecretsPublicKey)), {
      transport: Transport.NATS,
      options: { ...natsClientOptions(infra.busSettings('subscriptions'), 'test-subscriptions'), queue: 'subscriptions' },
      logger: false,
    });
    await responder.listen();
    const parsed = deliveryConfigSchema.parse({
      NATS_URL: infra.natsUrl,
      ...infra.busEnv('delivery'),
      MONGO_URL: infra.mongoUrl(uniqueDbName(name)),
      SMTP_URL: smtp.smtpUrl,
      LOCAL_PUSH_SERVICE_URL: push.httpUrl,
      PUBLIC_BASE_URL,
      SECRET_KEY,
      HTTP_PORT: '0',
      LOG_LEVEL: 'warn',
      ...config,
    });
    const app = await createServiceApp({ service: 'delivery', module: DeliveryModule.forRoot(parsed, seams), config: parsed });
    return new DeliveryTestBed(identities, faults, infra, smtp, push, nc, rpc, responder, app, parsed);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    await this.responder?.close();
    await this.rpc?.close();
    await this.nc?.close();
    await Promise.all([this.smtp?.stop(), this.push?.stop()]);
    await this.infra?.stop();
  }

  /** A new organisation that subscriptions knows, with its own VAPID key pair. */
  organisation(overrides: Partial<SenderIdentity> = {}): { orgId: string; identity: SenderIdentity } {
    const orgId = hex24();
    const identity: SenderIdentity = {
      orgId,
      senderName: 'Amnesty Test Section',
      vapid: { ...webpush.generateVAPIDKeys(), subject: 'mailto:ops@amnesty.example.org' },
      ...overrides,
    };
    this.identities.set(orgId, identity);
    return { orgId, identity };
  }

  /** The sample relay, fresh for this organisation, expiring in two hours. */
  relay(orgId: string, overrides: Partial<RelayContent> = {}): RelayContent {
    return {
      ...sampleRelay,
      relayId: hex24(),
      alertId: hex24(),
      coalitionId: hex24(),
      orgId,
      expiresAt: new Date(Date.now() + 2 * 60 * 60 * 1000).toISOString(),
      ...overrides,
    };
  }

  /** A supporter with an email address at the sink and a subscription at the push service. */
  supporter(label: string, language = 'en', channels: { email?: boolean; push?: boolean } = { email: true, push: true }): Recipient & { pushId?: string } {
    const supporterId = hex24();
    const subscription = channels.push ? this.push.createSubscription(label) : undefined;
    return {
      supporterId,
      language,
      contacts: {
        ...(channels.email ? { email: `${label}-${supporterId.slice(-6)}@supporters.example.org` } : {}),
        ...(subscription ? { push: subscription.subscription } : {}),
      },
      ...(subscription ? { pushId: subscription.id } : {}),
    };
  }

  batch(relay: RelayContent, recipients: (Recipient & { pushId?: string })[], eventId = `relay:${relay.relayId}:from:${recipients[0].supporterId}`): DeliveryBatch {
    return {
      eventId,
      occurredAt: new Date().toISOString(),
      relay,
      recipients: recipients.map(({ pushId: _pushId, ...recipient }) => recipient),
    };
  }

  async publish<S extends EventSubject>(subject: S, payload: EventPayload<S> & { eventId: string }, msgId = payload.eventId): Promise<void> {
    await new EventPublisher(this.nc.jetstream()).publish(subject, payload, { msgId });
  }

  publishBatch(batch: DeliveryBatch, msgId = batch.eventId): Promise<void> {
    return this.publish(eventSubjects.deliveryBatch, batch, msgId);
  }

  async ledger(relayId: string): Promise<LedgerRecord[]> {
    return this.collection<LedgerRecord>('deliveries').find({ relayId }).toArray();
  }

  /** Whether the service has recorded the relay as cancelled. */
  async knowsCancelled(relayId: string): Promise<boolean> {
    return (await this.collection('relay_states').countDocuments({ relayId })) > 0;
  }

  private collection<T extends object = object>(name: string) {
    return this.app.get<Connection>(getConnectionToken()).collection<T>(name);
  }

  /** The ledger once no record of the relay is open any more. */
  async settledLedger(relayId: string, expected: number, timeoutMs = 10_000): Promise<LedgerRecord[]> {
    return eventually(`ledger of relay ${relayId} settled with ${expected} records`, async () => {
      const records = await this.ledger(relayId);
      return records.length === expected && records.every((r) => !['queued', 'retry'].includes(r.state)) ? records : undefined;
    }, timeoutMs);
  }

  /** Every event on the DELIVERY_FEEDBACK stream with this subject. */
  async feedback<S extends typeof eventSubjects.pushGone | typeof eventSubjects.emailRejected>(subject: S): Promise<EventPayload<S>[]> {
    const jsm = await this.nc.jetstreamManager();
    const { state } = await jsm.streams.info('DELIVERY_FEEDBACK');
    const events: EventPayload<S>[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const message = await jsm.streams.getMessage('DELIVERY_FEEDBACK', { seq }).catch(() => undefined);
      if (message?.subject === subject) events.push(this.codec.decode(message.data) as EventPayload<S>);
    }
    return events;
  }
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
