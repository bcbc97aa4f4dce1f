import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { RelayStateConsumer } from './relay-state.consumer';
import { RelayStateRepository } from './relay-state.repository';
import { RelayState, RelayStateSchema } from './relay-state.schema';
import { RelayStateService } from './relay-state.service';

/** The relays delivery must no longer send for: cancelled ones, from subscriptions' facts. */
@Module({
  imports: [MongooseModule.forFeature([{ name: RelayState.name, schema: RelayStateSchema }]), DeliveriesModule],
  providers: [RelayStateRepository, RelayStateService, RelayStateConsumer],
  exports: [RelayStateRepository],
})
export class RelaysModule {}
