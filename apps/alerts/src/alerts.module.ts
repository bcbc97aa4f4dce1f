import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { AlertsConfig } from '@clarion/config';
import { ServiceCoreModule } from '@clarion/service-kit';
import { AlertController } from './alerts/alert.controller';
import { CapAlertsController } from './cap/cap-alerts.controller';
import { AlertRepository } from './alerts/alert.repository';
import { Alert, AlertSchema } from './alerts/alert.schema';
import { AlertService } from './alerts/alert.service';
import { CoalitionSettingsClient } from './alerts/coalition-settings.client';
import { IdempotencyKeyRepository } from './idempotency/idempotency-key.repository';
import { IdempotencyKey, IdempotencyKeySchema } from './idempotency/idempotency-key.schema';
import { IdempotencyKeySweeper } from './idempotency/idempotency-key.sweeper';
import { IdempotencyService } from './idempotency/idempotency.service';
import { AlertOutbox } from './outbox/alert-outbox';
import { AlertScheduler } from './schedule/alert.scheduler';

@Module({})
export class AlertsModule {
  static forRoot(config: AlertsConfig): DynamicModule {
    return {
      module: AlertsModule,
      imports: [
        ServiceCoreModule.forRoot('alerts', config),
        MongooseModule.forFeature([
          { name: Alert.name, schema: AlertSchema },
          { name: IdempotencyKey.name, schema: IdempotencyKeySchema },
        ]),
      ],
      controllers: [AlertController, CapAlertsController],
      providers: [
        AlertService,
        AlertRepository,
        CoalitionSettingsClient,
        AlertOutbox,
        AlertScheduler,
        IdempotencyService,
        IdempotencyKeyRepository,
        IdempotencyKeySweeper,
      ],
    };
  }
}
