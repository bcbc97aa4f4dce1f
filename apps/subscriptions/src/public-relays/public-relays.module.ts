import { Module } from '@nestjs/common';
import { AlertSnapshotsModule } from '../alert-snapshots/alert-snapshots.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { RelaysModule } from '../relays/relays.module';
import { PublicRelayController } from './public-relay.controller';
import { PublicRelayService } from './public-relay.service';

/** A relayed alert as its public landing page shows it. */
@Module({
  imports: [RelaysModule, AlertSnapshotsModule, OrganisationsModule],
  controllers: [PublicRelayController],
  providers: [PublicRelayService],
})
export class PublicRelaysModule {}
