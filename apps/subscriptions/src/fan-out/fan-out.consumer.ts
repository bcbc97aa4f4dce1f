import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { FanOutService } from './fan-out.service';

const ACK_WAIT_MS = 60_000;
/** Relays fanned out at once by one process, so one large organisation does not hold up the others. */
const FAN_OUTS_AT_ONCE = 4;

/** relays.relay.approved.v1: every subscriptions process pulls from the same durable consumer. */
@Injectable()
export class FanOutConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FanOutConsumer.name);
  private consumer?: DurableConsumer<typeof eventSubjects.relayApproved>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly fanOuts: FanOutService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = new DurableConsumer(this.nc.jetstream(), await this.nc.jetstreamManager(), {
      stream: 'RELAYS',
      durable: 'subscriptions-fan-out',
      subject: eventSubjects.relayApproved,
      ackWaitMs: ACK_WAIT_MS,
      concurrency: FAN_OUTS_AT_ONCE,
      logger: this.logger,
      handle: (approved) => this.fanOuts.fanOut(approved),
    });
    await this.consumer.start();
  }

  /** Stops pulling and lets fan-outs in hand finish; one the shutdown deadline cuts short resumes from its checkpoint elsewhere. */
  async onModuleDestroy(): Promise<void> {
    await this.consumer?.stop();
  }
}
