import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AccountsModule } from '../accounts/accounts.module';
import { AlertSnapshotsModule } from '../alert-snapshots/alert-snapshots.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AlertEventsConsumer } from './alert-events.consumer';
import { AlertRelaysService } from './alert-relays.service';
import { RelayDeadlineScheduler } from './relay-deadline.scheduler';
import { RelayOutbox } from './relay-outbox';
import { RelayPreviewService } from './relay-preview.service';
import { RelayController } from './relay.controller';
import { RelayRepository } from './relay.repository';
import { Relay, RelaySchema } from './relay.schema';
import { RelayService } from './relay.service';
import { ReviewNotices } from './review-notices';

/** One relay per member organisation and alert: opened from alerts' facts, reviewed or passed by policy, decided, and told on. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Relay.name, schema: RelaySchema }]), MembershipsModule, OrganisationsModule, AccountsModule, AlertSnapshotsModule],
  controllers: [RelayController],
  providers: [RelayRepository, RelayService, RelayOutbox, AlertRelaysService, AlertEventsConsumer, RelayDeadlineScheduler, ReviewNotices, RelayPreviewService],
  exports: [RelayRepository],
})
export class RelaysModule {}
