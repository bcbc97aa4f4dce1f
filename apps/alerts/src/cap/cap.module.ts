import { Module } from '@nestjs/common';
import { AlertLifecycleModule } from '../alerts/alert-lifecycle.module';
import { CapAlertsController } from './cap-alerts.controller';

/** The data of the coalitions' public CAP feeds. */
@Module({
  imports: [AlertLifecycleModule],
  controllers: [CapAlertsController],
})
export class CapModule {}
