import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ErrorCode, NatsError, type JetStreamManager, type NatsConnection } from 'nats';
import { streamsOwnedBy, streamsReadBy } from '@clarion/contracts';
import { CallerSigner, CallerVerifier } from './caller-assertion';
import { consumerRunnerProviders, type ConsumerRunnerOptions } from './consumer-runner';
import { EventPublisher } from './event-publisher';
import { ensureStreams, type StreamSelection } from './jetstream-setup';
import { connectNats, NATS_CONNECTION, type BusSettings } from './nats-connection';

export interface NatsModuleOptions {
  bus: BusSettings;
  /** Client name shown in the NATS server's monitoring, e.g. `clarion-alerts`. */
  name: string;
  /**
   * Copies of each stream across a NATS cluster (JETSTREAM_REPLICAS, default 1). Each service
   * creates the streams it uses at start when they are missing, so every service must be given the same number.
   */
  replicas?: number;
  /** What @Consumes declarations' settings read, and how long the consumers may drain at shutdown (ConsumerRunner). */
  consumers?: Omit<ConsumerRunnerOptions, 'service'>;
}

class NatsLifecycle implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** Drain flushes pending publishes and lets subscriptions finish before closing. */
  async onApplicationShutdown(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.drain().catch((error: Error) => this.logger.warn(`drain failed: ${error.message}`));
  }
}

/** How long a service waits at start for JetStream to answer about its streams before it gives up (and exits). */
const STREAMS_DEADLINE_MS = 60_000;

/**
 * ensureStreams, tried again while JetStream does not answer. In a cluster every
 * service may create the same streams at start: a request about a
 * stream whose leader is still being elected (created a moment ago by another
 * service, or its leader just lost) gets no answer and times out. Both calls
 * are idempotent, so the whole set is simply asked again; any other error
 * (a refused configuration) fails at once.
 */
async function ensureStreamsPatiently(jsm: JetStreamManager, selection: StreamSelection, replicas: number): Promise<void> {
  const deadline = Date.now() + STREAMS_DEADLINE_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const differing = await ensureStreams(jsm, replicas, selection);
      for (const name of differing) {
        new Logger('Nats').warn(`stream ${name} differs from the contracts; a service cannot change it, an operator applies it (npm start does at start)`);
      }
      return;
    } catch (error) {
      const unanswered = error instanceof NatsError && (error.code === ErrorCode.Timeout || error.code === ErrorCode.NoResponders);
      if (!unanswered || Date.now() > deadline) throw error;
      new Logger('Nats').warn(`JetStream did not answer about the streams (${error.message}); asking again (attempt ${attempt + 1})`);
      await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
    }
  }
}

/**
 * Our own NATS connection for JetStream (Nest's transport keeps its own for
 * request/reply), and the runner of every consumer declared with @Consumes.
 */
@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      imports: [DiscoveryModule],
      providers: [
        {
          provide: NATS_CONNECTION,
          useFactory: async () => {
            const nc = await connectNats(options.bus, options.name);
            // The streams this service publishes into and those it reads: made if missing, never changed.
            const selection = { owned: streamsOwnedBy(options.bus.service), read: streamsReadBy(options.bus.service) };
            if (selection.owned.length || selection.read.length) await ensureStreamsPatiently(await nc.jetstreamManager(), selection, options.replicas ?? 1);
            return nc;
          },
        },
        {
          provide: EventPublisher,
          useFactory: (nc: NatsConnection) => new EventPublisher(nc.jetstream()),
          inject: [NATS_CONNECTION],
        },
        { provide: CallerSigner, useValue: new CallerSigner(options.bus.service, options.bus.seed) },
        { provide: CallerVerifier, useValue: new CallerVerifier(options.bus.publicKeys) },
        NatsLifecycle,
        ...consumerRunnerProviders({ service: options.bus.service, ...options.consumers }),
      ],
      exports: [NATS_CONNECTION, EventPublisher, CallerSigner, CallerVerifier],
    };
  }
}
