import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AlertSnapshotsModule } from '../alert-snapshots/alert-snapshots.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { RelaysModule } from '../relays/relays.module';
import { SupportersModule } from '../supporters/supporters.module';
import { FanOutConsumer } from './fan-out.consumer';
import { FanOutRepository } from './fan-out.repository';
import { FanOut, FanOutSchema } from './fan-out.schema';
import { FanOutService } from './fan-out.service';
import { FollowUpsConsumer } from './follow-ups.consumer';
import { FollowUpsService } from './follow-ups.service';
import { ResendConsumer } from './resend.consumer';

/** An approved relay streamed as recipient batches to delivery; resends, and corrections and cancellations as follow-ups. */
@Module({
  imports: [MongooseModule.forFeature([{ name: FanOut.name, schema: FanOutSchema }]), RelaysModule, AlertSnapshotsModule, OrganisationsModule, SupportersModule],
  providers: [FanOutRepository, FanOutService, FanOutConsumer, ResendConsumer, FollowUpsService, FollowUpsConsumer],
})
export class FanOutModule {}
