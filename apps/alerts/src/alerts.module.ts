import { Module, type DynamicModule } from '@nestjs/common';
import type { AlertsConfig } from '@clarion/config';
import { serviceRootModule } from '@clarion/service-kit';
import { AlertLifecycleModule } from './alerts/alert-lifecycle.module';
import { CapModule } from './cap/cap.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { AlertScheduleModule } from './schedule/alert-schedule.module';

/** One feature module per folder, listed bottom up: each imports only modules listed before it (docs/decisions/0035). */
@Module({})
export class AlertsModule {
  static forRoot(config: AlertsConfig): DynamicModule {
    return serviceRootModule(AlertsModule, 'alerts', config, [IdempotencyModule, AlertLifecycleModule, AlertScheduleModule, CapModule]);
  }
}
