import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { SubscriptionsConfig } from '@clarion/config';
import { LinkSigner, OutboundRules, SecretBox, SecretSealer, type HostLookup } from '@clarion/security';
import { ServiceCoreModule } from '@clarion/service-kit';
import { AccountController } from './accounts/account.controller';
import { AccountRepository } from './accounts/account.repository';
import { Account, AccountSchema, Session, SessionSchema, SignInLink, SignInLinkSchema } from './accounts/account.schema';
import { AccountService } from './accounts/account.service';
import { ApprovalNotices } from './accounts/approval-notices';
import { SUBSCRIPTIONS_CLOCK, systemClock, type Clock } from './accounts/clock';
import { FirstAdminAccountBootstrap } from './accounts/first-admin-account.bootstrap';
import { SignInService } from './accounts/sign-in.service';
import { StaffMail } from './accounts/staff-mail';
import { AlertSnapshotConsumer } from './alert-snapshots/alert-snapshot.consumer';
import { AlertSnapshotRepository } from './alert-snapshots/alert-snapshot.repository';
import { AlertSnapshot, AlertSnapshotSchema } from './alert-snapshots/alert-snapshot.schema';
import { CapFeedController } from './cap/cap-feed.controller';
import { CoalitionController } from './coalitions/coalition.controller';
import { CoalitionRepository } from './coalitions/coalition.repository';
import { Coalition, CoalitionSchema } from './coalitions/coalition.schema';
import { CoalitionService } from './coalitions/coalition.service';
import { FanOutConsumer } from './fan-out/fan-out.consumer';
import { FanOutRepository } from './fan-out/fan-out.repository';
import { FanOut, FanOutSchema } from './fan-out/fan-out.schema';
import { FanOutService } from './fan-out/fan-out.service';
import { FollowUpsConsumer } from './fan-out/follow-ups.consumer';
import { FollowUpsService } from './fan-out/follow-ups.service';
import { ResendConsumer } from './fan-out/resend.consumer';
import { FeedbackConsumer } from './feedback/feedback.consumer';
import { FeedbackService } from './feedback/feedback.service';
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
import { PublicRelayController } from './public-relays/public-relay.controller';
import { PublicRelayRepository } from './public-relays/public-relay.repository';
import { PublicRelayService } from './public-relays/public-relay.service';
import { AlertEventsConsumer } from './relays/alert-events.consumer';
import { AlertRelaysService } from './relays/alert-relays.service';
import { RelayDeadlineScheduler } from './relays/relay-deadline.scheduler';
import { ReviewNotices } from './relays/review-notices';
import { RelayOutbox } from './relays/relay-outbox';
import { RelayController } from './relays/relay.controller';
import { RelayPreviewService } from './relays/relay-preview.service';
import { RelayRepository } from './relays/relay.repository';
import { Relay, RelaySchema } from './relays/relay.schema';
import { RelayService } from './relays/relay.service';
import { OrgKeysRepository } from './sender-identity/org-keys.repository';
import { OrgKeys, OrgKeysSchema } from './sender-identity/org-keys.schema';
import { SenderIdentityController } from './sender-identity/sender-identity.controller';
import { SenderIdentityService } from './sender-identity/sender-identity.service';
import { SenderSecretsMigration } from './sender-identity/sender-secrets.migration';
import { SenderDkimController } from './sender-identity/sender-dkim.controller';
import { SenderDkimService } from './sender-identity/sender-dkim.service';
import { SenderSmtpController } from './sender-identity/sender-smtp.controller';
import { SenderSmtpService } from './sender-identity/sender-smtp.service';
import { ConsentRepository } from './supporters/consent.repository';
import { Consent, ConsentSchema } from './supporters/consent.schema';
import { JoinConsumer } from './supporters/join.consumer';
import { JoinService } from './supporters/join.service';
import { PreferencesService } from './supporters/preferences.service';
import { SupporterFacts } from './supporters/supporter-facts';
import { PublicOrganisationRepository } from './supporters/public-organisation.repository';
import { PublicOrganisationService } from './supporters/public-organisation.service';
import { SupporterAdminService } from './supporters/supporter-admin.service';
import { SupporterImportService } from './supporters/supporter-import.service';
import { SupporterLinks } from './supporters/supporter-links';
import { BusErasure } from './supporters/bus-erasure';
import { ErasureRepository } from './supporters/erasure.repository';
import { Erasure, ErasureSchema } from './supporters/erasure.schema';
import { PushRenewalService } from './supporters/push-renewal.service';
import { SupporterController } from './supporters/supporter.controller';
import { SupporterRightsService } from './supporters/supporter-rights.service';
import { SupporterRepository } from './supporters/supporter.repository';
import { Supporter, SupporterSchema } from './supporters/supporter.schema';
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
/** What a test may put in place of the real thing. */
export interface SubscriptionsSeams {
  /** The resolver behind the checks of SMTP servers and push endpoints (OutboundRules); the system's by default. */
  lookup?: HostLookup;
  /** The clock of sign-in links, sessions and review reminders; the system's by default. */
  now?: Clock;
}

@Module({})
export class SubscriptionsModule {
  static forRoot(config: SubscriptionsConfig, seams: SubscriptionsSeams = {}): DynamicModule {
    return {
      module: SubscriptionsModule,
      imports: [
        ServiceCoreModule.forRoot('subscriptions', config),
        MongooseModule.forFeature([
          { name: Token.name, schema: TokenSchema },
          { name: Account.name, schema: AccountSchema },
          { name: SignInLink.name, schema: SignInLinkSchema },
          { name: Session.name, schema: SessionSchema },
          { name: Organisation.name, schema: OrganisationSchema },
          { name: Coalition.name, schema: CoalitionSchema },
          { name: Invitation.name, schema: InvitationSchema },
          { name: Membership.name, schema: MembershipSchema },
          { name: Relay.name, schema: RelaySchema },
          { name: OrgKeys.name, schema: OrgKeysSchema },
          { name: Supporter.name, schema: SupporterSchema },
          { name: Consent.name, schema: ConsentSchema },
          { name: Erasure.name, schema: ErasureSchema },
          { name: AlertSnapshot.name, schema: AlertSnapshotSchema },
          { name: FanOut.name, schema: FanOutSchema },
        ]),
      ],
      controllers: [
        TokenController,
        AccountController,
        OrganisationController,
        CoalitionController,
        CapFeedController,
        InvitationController,
        MembershipController,
        RelayController,
        SenderIdentityController,
        SenderSmtpController,
        SenderDkimController,
        SupporterController,
        PublicRelayController,
      ],
      providers: [
        TokenRepository,
        TokenService,
        FirstAdminBootstrap,
        { provide: SUBSCRIPTIONS_CLOCK, useValue: seams.now ?? systemClock },
        AccountRepository,
        StaffMail,
        SignInService,
        AccountService,
        FirstAdminAccountBootstrap,
        ApprovalNotices,
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
        ReviewNotices,
        // Only to open the old form of sender secrets once, in SenderSecretsMigration.
        { provide: SecretBox, useValue: new SecretBox(config.SECRET_KEY) },
        { provide: SecretSealer, useValue: new SecretSealer(config.SENDER_SECRETS_PUBLIC_KEY) },
        { provide: LinkSigner, useValue: new LinkSigner(config.SECRET_KEY) },
        { provide: OutboundRules, useValue: OutboundRules.fromConfig(config, seams.lookup) },
        OrgKeysRepository,
        SenderIdentityService,
        SenderSmtpService,
        SenderDkimService,
        SenderSecretsMigration,
        SupporterRepository,
        ConsentRepository,
        SupporterLinks,
        PublicOrganisationRepository,
        PublicOrganisationService,
        JoinService,
        JoinConsumer,
        PreferencesService,
        SupporterFacts,
        SupporterImportService,
        SupporterAdminService,
        ErasureRepository,
        BusErasure,
        SupporterRightsService,
        PushRenewalService,
        AlertSnapshotRepository,
        AlertSnapshotConsumer,
        FanOutRepository,
        FanOutService,
        RelayPreviewService,
        FanOutConsumer,
        ResendConsumer,
        FollowUpsService,
        FollowUpsConsumer,
        FeedbackService,
        FeedbackConsumer,
        PublicRelayRepository,
        PublicRelayService,
      ],
    };
  }
}
