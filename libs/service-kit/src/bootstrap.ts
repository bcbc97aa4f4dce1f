import type { Server } from 'node:http';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import type { CommonConfig } from '@clarion/config';
import { JSONCodec, type NatsConnection } from 'nats';
import { systemRpc } from '@clarion/contracts';
import { ASSERTION_FIELD, busSettings, CallerInboxServer, CallerSigner, NATS_CONNECTION, natsClientOptions } from '@clarion/messaging';
import { httpMetricsMiddleware, nameService, startMetricsServer, startTracing } from '@clarion/observability';
import { mountSecurityHeaders } from './security-headers';
import { keepAliveUntilClose } from './http-keep-alive';
import { httpTracingMiddleware } from './http-tracing';

export interface BootstrapOptions {
  service: string;
  module: Type<unknown> | import('@nestjs/common').DynamicModule;
  config: CommonConfig;
  /** NATS request/reply handlers; the gateway has none. */
  natsHandlers?: boolean;
  /** Runs after the app is created and before it initialises: extra HTTP routes, body limits, API docs. */
  configure?: (app: INestApplication) => void;
}

/**
 * Starts a service the same way everywhere: buffered logs until the pino
 * logger is ready, NATS handlers in a queue group (so replicas share requests),
 * HTTP for health, and a shutdown that drains within SHUTDOWN_TIMEOUT_MS.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const { service, config } = options;
  try {
    const app = await createServiceApp(options);
    closeOnSignal(app, config.SHUTDOWN_TIMEOUT_MS);
    app.get(Logger).log(`${service} ready at ${await app.getUrl()}`, 'Bootstrap');
    return app;
  } catch (error) {
    process.stderr.write(`${service}: failed to start: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  }
}

/** The started app without process-level concerns (signals, exit codes): what integration tests run in-process. */
export async function createServiceApp(options: BootstrapOptions): Promise<INestApplication> {
  const { service, config } = options;
  // Before anything handles a request or a message: the context every hop's logs and spans hang on.
  const tracing = await startTracing({ service, otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT });
  nameService(service);
  const app = await NestFactory.create(options.module, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  // First in the chain, so the request's logs (pino-http's included) and its NATS requests carry its trace.
  app.use(httpTracingMiddleware, httpMetricsMiddleware);
  mountSecurityHeaders(app);
  options.configure?.(app);
  if (options.natsHandlers !== false) {
    // Nest's NATS transport, answering only into a caller's inbox (CallerInboxServer).
    app.connectMicroservice<MicroserviceOptions>(
      {
        strategy: new CallerInboxServer({
          ...natsClientOptions(busSettings(service as Parameters<typeof busSettings>[0], config), `clarion-${service}-rpc`),
          queue: service,
        }),
      },
      { inheritAppConfig: true },
    );
  }
  await app.init();
  await app.startAllMicroservices();
  if (options.natsHandlers !== false) await untilHandlersAnswer(app, service);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  keepAliveUntilClose(app.getHttpServer() as Server);
  if (config.METRICS_PORT !== undefined) {
    const metrics = await startMetricsServer(config.METRICS_PORT, config.METRICS_HOST);
    const address = metrics.address();
    app.get(Logger).log(`metrics at http://${config.METRICS_HOST}:${typeof address === 'object' && address ? address.port : config.METRICS_PORT}/metrics`, 'Bootstrap');
    closeWithApp(app, () => new Promise<void>((resolve) => metrics.close(() => resolve())));
  }
  // Spans still in the exporter's queue are sent before the process ends.
  closeWithApp(app, () => tracing.shutdown());
  return app;
}

/** Runs `close` once the app has closed (its listeners and consumers are done). */
function closeWithApp(app: INestApplication, close: () => Promise<void>): void {
  const appClose = app.close.bind(app);
  app.close = async () => {
    await appClose();
    await close().catch(() => undefined);
  };
}

/**
 * Nest resolves startAllMicroservices once it has sent its subscriptions, not
 * once the NATS server registered them; a request in that gap finds "no
 * subscribers". Our own ping answering proves the handlers are reachable.
 */
async function untilHandlersAnswer(app: INestApplication, service: string): Promise<void> {
  const nc = app.get<NatsConnection>(NATS_CONNECTION);
  const subject = systemRpc.ping(service as Parameters<typeof systemRpc.ping>[0]);
  const signer = app.get(CallerSigner);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const request = JSONCodec().encode({ pattern: subject, data: { echo: 'boot', [ASSERTION_FIELD]: signer.sign(subject) }, id: 'boot' });
    try {
      await nc.request(subject, request, { timeout: 500 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${service}: its NATS handlers did not answer within 10 s`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * SIGTERM/SIGINT close the app (consumers drain, NATS flushes, the database
 * connection closes) and exit 0; a shutdown that overruns its deadline exits 1.
 */
function closeOnSignal(app: INestApplication, timeoutMs: number): void {
  const logger = app.get(Logger);
  const shutdown = (signal: NodeJS.Signals) => {
    logger.log(`${signal} received; shutting down`, 'Bootstrap');
    setTimeout(() => {
      process.stderr.write(`shutdown took longer than ${timeoutMs} ms; exiting\n`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`shutdown failed: ${error.stack}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
