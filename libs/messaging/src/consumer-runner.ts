import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy, type Provider } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { consumerFilterFor, consumers as permittedConsumers, streamFor, type BusService, type EventSubject } from '@clarion/contracts';
import { declaredConsumersOf, type DeclaredConsumer } from './consumes.decorator';
import { DurableConsumer, type DurableConsumerOptions } from './durable-consumer';
import { NATS_CONNECTION } from './nats-connection';

export interface ConsumerRunnerOptions {
  /** Whose consumers these are: each declaration must be in the contracts' consumers table under this service. */
  service: BusService;
  /** The service's validated config, handed to a declaration whose `settings` is a function. */
  config?: unknown;
  /** How long the consumers may take at shutdown to finish the messages in hand (default 10 s). */
  drainTimeoutMs?: number;
}

const CONSUMER_RUNNER_OPTIONS = Symbol('CONSUMER_RUNNER_OPTIONS');
const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

interface PlannedConsumer {
  /** `Class.method`, for messages about it. */
  label: string;
  options: DurableConsumerOptions<EventSubject>;
}

/**
 * Runs every consumer declared with @Consumes in the application.
 *
 * Start (onApplicationBootstrap, once every provider is built and every module
 * initialised): all declarations are checked first, so one bad declaration
 * fails the boot before any consumer pulls; then each consumer starts, in
 * declaration order.
 *
 * Shutdown (onModuleDestroy: this global module's hook runs after the
 * application's own, and before any beforeApplicationShutdown or
 * onApplicationShutdown hook flushes progress, closes SMTP pools, drains the
 * NATS connection or closes the database): every consumer stops pulling at
 * once, then the messages in hand finish and are acked, for at most
 * `drainTimeoutMs`. One still running then is redelivered elsewhere once its
 * ack_wait passes.
 */
@Injectable()
export class ConsumerRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Consumers');
  private running: { label: string; consumer: DurableConsumer<EventSubject>; durable: string }[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CONSUMER_RUNNER_OPTIONS) private readonly options: ConsumerRunnerOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const planned = this.plan();
    if (planned.length === 0) return;
    const js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    for (const { label, options } of planned) {
      const consumer = new DurableConsumer(js, jsm, options);
      try {
        await consumer.start();
      } catch (error) {
        await this.drain();
        throw new Error(`${label}: consumer ${options.durable} on ${options.stream} did not start: ${(error as Error).message}`, { cause: error });
      }
      this.running.push({ label, consumer, durable: options.durable });
    }
    this.logger.log({ durables: planned.map(({ options }) => options.durable) }, `${planned.length} consumers started`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.drain();
  }

  private async drain(): Promise<void> {
    const running = this.running;
    this.running = [];
    if (running.length === 0) return;
    const busy = new Set(running.map(({ durable }) => durable));
    // stop() closes its pull before its first await: every consumer has stopped fetching before any message in hand is waited for.
    const stopped = Promise.all(
      running.map(({ consumer, durable, label }) =>
        consumer
          .stop()
          .catch((error: Error) => this.logger.error({ durable, err: error.message }, `${label}: consumer did not stop cleanly`))
          .finally(() => busy.delete(durable)),
      ),
    );
    const timeoutMs = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    let deadline: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise<void>((resolve) => (deadline = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(deadline);
    if (busy.size > 0) {
      this.logger.warn({ durables: [...busy], timeoutMs }, 'consumers still handling messages at the drain deadline; JetStream redelivers those once their ack_wait passes');
    }
  }

  /** Every declaration in the application, checked against the contracts, in declaration order. */
  private plan(): PlannedConsumer[] {
    const labels = new Map<string, string>();
    return this.declarations().map(({ instance, declared }) => {
      const label = `${instance.constructor.name}.${String(declared.method)}`;
      const { subject, durable } = declared;
      const stream = streamFor(consumerFilterFor(subject));
      if (!stream) {
        throw new Error(`${label}: consumer ${durable} reads ${subject}, which no stream stores; add the subject to a stream in libs/contracts/src/streams.ts`);
      }
      const twin = labels.get(durable);
      if (twin) throw new Error(`${label}: consumer ${durable} is declared twice (also by ${twin}); two handlers would share one position in ${stream.name}`);
      labels.set(durable, label);
      const { service } = this.options;
      if (!permittedConsumers.some((c) => c.service === service && c.durable === durable && c.subject === subject)) {
        throw new Error(
          `${label}: consumer ${durable} of ${subject} is not in the consumers table of libs/contracts/src/bus-access.ts for ${service}; the NATS server's permissions come from that table and would refuse it`,
        );
      }
      const handler = (instance as Record<string | symbol, DurableConsumerOptions<EventSubject>['handle']>)[declared.method];
      return {
        label,
        options: {
          ...this.settingsOf(label, declared),
          stream: stream.name,
          durable,
          subject,
          logger: new Logger(instance.constructor.name),
          handle: (payload, msg, context) => handler.call(instance, payload, msg, context),
        },
      };
    });
  }

  private settingsOf(label: string, { settings }: DeclaredConsumer) {
    if (typeof settings !== 'function') return settings ?? {};
    if (this.options.config === undefined) throw new Error(`${label}: its settings read the service config, and NatsModule was given none`);
    return settings(this.options.config);
  }

  /** The providers' declarations; a provider registered under two tokens (useExisting) counts once. */
  private declarations(): { instance: object; declared: DeclaredConsumer }[] {
    const instances = new Set<object>();
    for (const { instance } of this.discovery.getProviders()) {
      if (instance && typeof instance === 'object' && declaredConsumersOf(instance.constructor).length > 0) instances.add(instance as object);
    }
    return [...instances].flatMap((instance) => declaredConsumersOf(instance.constructor).map((declared) => ({ instance, declared })));
  }
}

/** The ConsumerRunner and its options, for a module that imports DiscoveryModule and can inject NATS_CONNECTION. */
export function consumerRunnerProviders(options: ConsumerRunnerOptions): Provider[] {
  return [{ provide: CONSUMER_RUNNER_OPTIONS, useValue: options }, ConsumerRunner];
}
