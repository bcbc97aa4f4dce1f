import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { EventPublisher } from './event-publisher';
import { ensureStreams } from './jetstream-setup';
import { connectNats, NATS_CONNECTION } from './nats-connection';

export interface NatsModuleOptions {
  url: string;
  /** Client name shown in the NATS server's monitoring, e.g. `clarion-alerts`. */
  name: string;
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

/** Our own NATS connection for JetStream (Nest's transport keeps its own for request/reply). */
@Global()
@Module({})
export class NatsModule {
  static forRoot(options: NatsModuleOptions): DynamicModule {
    return {
      module: NatsModule,
      providers: [
        {
          provide: NATS_CONNECTION,
          useFactory: async () => {
            const nc = await connectNats(options.url, options.name);
            await ensureStreams(await nc.jetstreamManager());
            return nc;
          },
        },
        {
          provide: EventPublisher,
          useFactory: (nc: NatsConnection) => new EventPublisher(nc.jetstream()),
          inject: [NATS_CONNECTION],
        },
        NatsLifecycle,
      ],
      exports: [NATS_CONNECTION, EventPublisher],
    };
  }
}
