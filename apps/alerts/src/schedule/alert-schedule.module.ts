import { Module } from '@nestjs/common';
import { AlertLifecycleModule } from '../alerts/alert-lifecycle.module';
import { AlertScheduler } from './alert.scheduler';

/** The time-driven steps: scheduled publications, expiries, and the outbox's retries. */
@Module({
  imports: [AlertLifecycleModule],
  providers: [AlertScheduler],
})
export class AlertScheduleModule {}
