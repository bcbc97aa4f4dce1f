import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AlertOutbox } from './alert-outbox';
import { AlertController } from './alert.controller';
import { AlertRepository } from './alert.repository';
import { Alert, AlertSchema } from './alert.schema';
import { AlertService } from './alert.service';
import { CoalitionSettingsClient } from './coalition-settings.client';

/** Alerts from draft to review, publication, correction and cancellation, with their events sent through the outbox in the document. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Alert.name, schema: AlertSchema }]), IdempotencyModule],
  controllers: [AlertController],
  providers: [AlertService, AlertRepository, CoalitionSettingsClient, AlertOutbox],
  exports: [AlertRepository, AlertOutbox],
})
export class AlertLifecycleModule {}
