import { Module, type DynamicModule } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { serviceRootModule } from '@clarion/service-kit';
import { AccountsModule } from './accounts/accounts.module';
import { AlertSnapshotsModule } from './alert-snapshots/alert-snapshots.module';
import { CapModule } from './cap/cap.module';
import { CoalitionsModule } from './coalitions/coalitions.module';
import { SharedModule, type SubscriptionsSeams } from './common/shared.module';
import { FanOutModule } from './fan-out/fan-out.module';
import { FeedbackModule } from './feedback/feedback.module';
import { MembershipsModule } from './memberships/memberships.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { PublicRelaysModule } from './public-relays/public-relays.module';
import { RelaysModule } from './relays/relays.module';
import { SenderIdentityModule } from './sender-identity/sender-identity.module';
import { SupportersModule } from './supporters/supporters.module';
import { TokensModule } from './tokens/tokens.module';

export type { SubscriptionsSeams } from './common/shared.module';

/**
 * One feature module per folder, listed bottom up: each imports only modules
 * listed before it (docs/decisions/0035).
 */
@Module({})
export class SubscriptionsModule {
  static forRoot(config: SubscriptionsConfig, seams: SubscriptionsSeams = {}): DynamicModule {
    return serviceRootModule(SubscriptionsModule, 'subscriptions', config, [
      SharedModule.forRoot(config, seams),
      MembershipsModule,
      OrganisationsModule,
      CoalitionsModule,
      SenderIdentityModule,
      AccountsModule,
      TokensModule,
      CapModule,
      AlertSnapshotsModule,
      RelaysModule,
      PublicRelaysModule,
      SupportersModule,
      FeedbackModule,
      FanOutModule,
    ]);
  }
}
