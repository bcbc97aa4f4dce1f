import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { SubscriptionsConfig } from '@clarion/config';
import { ServiceCoreModule } from '@clarion/service-kit';
import { CoalitionController } from './coalitions/coalition.controller';
import { CoalitionRepository } from './coalitions/coalition.repository';
import { Coalition, CoalitionSchema } from './coalitions/coalition.schema';
import { CoalitionService } from './coalitions/coalition.service';
import { InvitationController } from './memberships/invitation.controller';
import { InvitationRepository } from './memberships/invitation.repository';
import { Invitation, InvitationSchema } from './memberships/invitation.schema';
import { InvitationService } from './memberships/invitation.service';
import { MembershipController } from './memberships/membership.controller';
import { MembershipRepository } from './memberships/membership.repository';
import { Membership, MembershipSchema } from './memberships/membership.schema';
import { MembershipService } from './memberships/membership.service';
import { OrganisationController } from './organisations/organisation.controller';
import { OrganisationRepository } from './organisations/organisation.repository';
import { Organisation, OrganisationSchema } from './organisations/organisation.schema';
import { OrganisationService } from './organisations/organisation.service';
import { AlertEventsConsumer } from './relays/alert-events.consumer';
import { AlertRelaysService } from './relays/alert-relays.service';
import { RelayController } from './relays/relay.controller';
import { RelayDeadlineScheduler } from './relays/relay-deadline.scheduler';
import { RelayOutbox } from './relays/relay-outbox';
import { RelayRepository } from './relays/relay.repository';
import { Relay, RelaySchema } from './relays/relay.schema';
import { RelayService } from './relays/relay.service';
import { FirstAdminBootstrap } from './tokens/first-admin.bootstrap';
import { TokenController } from './tokens/token.controller';
import { TokenRepository } from './tokens/token.repository';
import { Token, TokenSchema } from './tokens/token.schema';
import { TokenService } from './tokens/token.service';

/**
 * One module: the features read each other's repositories (visibility
 * follows memberships, tokens name organisations), so per-feature modules
 * would import each other in a cycle.
 */
@Module({})
export class SubscriptionsModule {
  static forRoot(config: SubscriptionsConfig): DynamicModule {
    return {
      module: SubscriptionsModule,
      imports: [
        ServiceCoreModule.forRoot('subscriptions', config),
        MongooseModule.forFeature([
          { name: Token.name, schema: TokenSchema },
          { name: Organisation.name, schema: OrganisationSchema },
          { name: Coalition.name, schema: CoalitionSchema },
          { name: Invitation.name, schema: InvitationSchema },
          { name: Membership.name, schema: MembershipSchema },
          { name: Relay.name, schema: RelaySchema },
        ]),
      ],
      controllers: [
        TokenController,
        OrganisationController,
        CoalitionController,
        InvitationController,
        MembershipController,
        RelayController,
      ],
      providers: [
        TokenRepository,
        TokenService,
        FirstAdminBootstrap,
        OrganisationRepository,
        OrganisationService,
        CoalitionRepository,
        CoalitionService,
        InvitationRepository,
        InvitationService,
        MembershipRepository,
        MembershipService,
        RelayRepository,
        RelayService,
        RelayOutbox,
        AlertRelaysService,
        AlertEventsConsumer,
        RelayDeadlineScheduler,
      ],
    };
  }
}
