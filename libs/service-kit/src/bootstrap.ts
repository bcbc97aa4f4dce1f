import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import type { CommonConfig } from '@clarion/config';
import { natsClientOptions } from '@clarion/messaging';

export interface BootstrapOptions {
  service: string;
  module: Type<unknown> | import('@nestjs/common').DynamicModule;
  config: CommonConfig;
  /** NATS request/reply handlers; the gateway has none. */
  natsHandlers?: boolean;
}

/**
 * Starts a service the same way everywhere: buffered logs until the pino
 * logger is ready, NATS handlers in a queue group (so replicas share requests),
 * HTTP for health, and a shutdown that drains within SHUTDOWN_TIMEOUT_MS.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const { service, config } = options;
  try {
    const app = await NestFactory.create(options.module, { bufferLogs: true, abortOnError: false });
    app.useLogger(app.get(Logger));
    app.enableShutdownHooks();
    if (options.natsHandlers !== false) {
      app.connectMicroservice<MicroserviceOptions>(
        { transport: Transport.NATS, options: { ...natsClientOptions(config.NATS_URL, `clarion-${service}-rpc`), queue: service } },
        { inheritAppConfig: true },
      );
    }
    await app.init();
    await app.startAllMicroservices();
    await app.listen(config.HTTP_PORT, config.HTTP_HOST);
    armShutdownDeadline(config.SHUTDOWN_TIMEOUT_MS);
    app.get(Logger).log(`${service} ready at ${await app.getUrl()}`, 'Bootstrap');
    return app;
  } catch (error) {
    process.stderr.write(`${service}: failed to start: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  }
}

/** Nest's shutdown hooks close the app on SIGTERM; this bounds how long that may take. */
function armShutdownDeadline(timeoutMs: number): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        process.stderr.write(`shutdown took longer than ${timeoutMs} ms; exiting\n`);
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
