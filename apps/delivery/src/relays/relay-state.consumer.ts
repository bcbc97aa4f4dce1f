import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { RelayStateService } from './relay-state.service';

/** relays.relay.cancelled.v1, one durable shared by every delivery replica. */
@Injectable()
export class RelayStateConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayStateConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.relayCancelled>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly relayStates: RelayStateService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'RELAYS',
      durable: 'delivery-relay-cancelled',
      subject: eventSubjects.relayCancelled,
      logger: this.logger,
      handle: (event) => this.relayStates.cancel(event),
    });
    await this.consumer.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
