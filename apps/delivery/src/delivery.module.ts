import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { NatsConnection } from 'nats';
import { DEVELOPMENT_SECRET_KEY, type DeliveryConfig } from '@clarion/config';
import { LinkSigner } from '@clarion/security';
import { NATS_CONNECTION } from '@clarion/messaging';
import { SERVICE_CONFIG, ServiceCoreModule } from '@clarion/service-kit';
import { BatchConsumer } from './batches/batch.consumer';
import { BatchSender } from './batches/batch-sender';
import { BatchService } from './batches/batch.service';
import { EmailChannel } from './channels/email.channel';
import { PushChannel } from './channels/push.channel';
import { ConfirmationConsumer } from './confirmations/confirmation.consumer';
import { ConfirmationService } from './confirmations/confirmation.service';
import { DeliveryRepository } from './deliveries/delivery.repository';
import { Delivery, DeliverySchema } from './deliveries/delivery.schema';
import { FeedbackPublisher } from './feedback/feedback.publisher';
import { ProgressController } from './progress/progress.controller';
import { ProgressPublisher } from './progress/progress.publisher';
import { ProgressRepository } from './progress/progress.repository';
import { RelayProgress, RelayProgressSchema } from './progress/progress.schema';
import { ProgressService } from './progress/progress.service';
import { SendLimits, WINDOW_COUNTERS } from './rate-limits/send-limits';
import { KvWindowCounters } from './rate-limits/window-counters';
import { RelayStateConsumer } from './relays/relay-state.consumer';
import { ResendController } from './resends/resend.controller';
import { ResendService } from './resends/resend.service';
import { RelayStateRepository } from './relays/relay-state.repository';
import { RelayState, RelayStateSchema } from './relays/relay-state.schema';
import { RelayStateService } from './relays/relay-state.service';
import { MessageLinks } from './rendering/message-links';
import { SenderIdentityCache } from './sender-identity/sender-identity.cache';
import { SupporterErasureConsumer } from './supporters/supporter-erasure.consumer';
import { SupporterLedgerController } from './supporters/supporter-ledger.controller';
import { SupporterLedgerService } from './supporters/supporter-ledger.service';

function linkSigner(config: DeliveryConfig): LinkSigner {
  if (config.SECRET_KEY === DEVELOPMENT_SECRET_KEY) {
    new Logger('DeliveryModule').warn('SECRET_KEY is the development default: links in messages can be forged; set a secret of your own');
  }
  return new LinkSigner(config.SECRET_KEY);
}

@Module({})
export class DeliveryModule {
  static forRoot(config: DeliveryConfig): DynamicModule {
    return {
      module: DeliveryModule,
      imports: [
        ServiceCoreModule.forRoot('delivery', config),
        MongooseModule.forFeature([
          { name: Delivery.name, schema: DeliverySchema },
          { name: RelayState.name, schema: RelayStateSchema },
          { name: RelayProgress.name, schema: RelayProgressSchema },
        ]),
      ],
      controllers: [ProgressController, ResendController, SupporterLedgerController],
      providers: [
        { provide: LinkSigner, useFactory: linkSigner, inject: [SERVICE_CONFIG] },
        {
          provide: MessageLinks,
          useFactory: (signer: LinkSigner, cfg: DeliveryConfig) => new MessageLinks(signer, cfg.PUBLIC_BASE_URL),
          inject: [LinkSigner, SERVICE_CONFIG],
        },
        DeliveryRepository,
        RelayStateRepository,
        ProgressRepository,
        SenderIdentityCache,
        EmailChannel,
        PushChannel,
        FeedbackPublisher,
        ProgressPublisher,
        ProgressService,
        ResendService,
        // Send rate limits across workers (docs/decisions/0014): counters in a NATS KV bucket, made on first use.
        {
          provide: WINDOW_COUNTERS,
          useFactory: (nc: NatsConnection, cfg: DeliveryConfig) => new KvWindowCounters(nc, cfg.JETSTREAM_REPLICAS),
          inject: [NATS_CONNECTION, SERVICE_CONFIG],
        },
        SendLimits,
        BatchSender,
        BatchService,
        BatchConsumer,
        RelayStateService,
        RelayStateConsumer,
        ConfirmationService,
        ConfirmationConsumer,
        SupporterLedgerService,
        SupporterErasureConsumer,
      ],
    };
  }
}
