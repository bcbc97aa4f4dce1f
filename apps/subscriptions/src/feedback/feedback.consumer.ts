import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { eventSubjects, type EventSubject } from '@clarion/contracts';
import { DurableConsumer, NATS_CONNECTION } from '@clarion/messaging';
import { FeedbackService } from './feedback.service';

/** What delivery learnt from providers (DELIVERY_FEEDBACK), one durable consumer per fact. */
@Injectable()
export class FeedbackConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FeedbackConsumer.name);
  private consumers: DurableConsumer<EventSubject>[] = [];

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly feedback: FeedbackService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const js = this.nc.jetstream();
    const jsm = await this.nc.jetstreamManager();
    const stream = 'DELIVERY_FEEDBACK';
    this.consumers = [
      new DurableConsumer(js, jsm, {
        stream,
        durable: 'subscriptions-feedback-push-gone',
        subject: eventSubjects.pushGone,
        logger: this.logger,
        handle: (gone) => this.feedback.pushGone(gone),
      }),
      new DurableConsumer(js, jsm, {
        stream,
        durable: 'subscriptions-feedback-email-rejected',
        subject: eventSubjects.emailRejected,
        logger: this.logger,
        handle: (rejected) => this.feedback.emailRejected(rejected),
      }),
      new DurableConsumer(js, jsm, {
        stream,
        durable: 'subscriptions-feedback-email-complained',
        subject: eventSubjects.emailComplained,
        logger: this.logger,
        handle: (complaint) => this.feedback.emailComplained(complaint),
      }),
      new DurableConsumer(js, jsm, {
        stream,
        durable: 'subscriptions-feedback-contact-refused',
        subject: eventSubjects.contactRefused,
        logger: this.logger,
        handle: (refused) => this.feedback.contactRefused(refused),
      }),
    ];
    await Promise.all(this.consumers.map((consumer) => consumer.start()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
  }
}
