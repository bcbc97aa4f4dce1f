import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { SubscriptionsConfig } from '@clarion/config';
import { LinkSigner } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { CoalitionsModule } from '../coalitions/coalitions.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { SenderIdentityModule } from '../sender-identity/sender-identity.module';
import { BusErasure } from './bus-erasure';
import { ChannelRepliesService } from './channel-replies.service';
import { ChannelReply, ChannelReplySchema } from './channel-reply.schema';
import { CodeOptIn } from './code-opt-in';
import { ConsentRepository } from './consent.repository';
import { Consent, ConsentSchema } from './consent.schema';
import { ErasureRepository } from './erasure.repository';
import { Erasure, ErasureSchema } from './erasure.schema';
import { JoinConsumer } from './join.consumer';
import { OptInCodeRepository } from './opt-in-code.repository';
import { OptInCode, OptInCodeSchema } from './opt-in-code.schema';
import { JoinService } from './join.service';
import { PreferencesService } from './preferences.service';
import { PublicOrganisationService } from './public-organisation.service';
import { PushRenewalService } from './push-renewal.service';
import { SupporterAdminService } from './supporter-admin.service';
import { SupporterFacts } from './supporter-facts';
import { SupporterImportService } from './supporter-import.service';
import { SupporterLinks } from './supporter-links';
import { SupporterRightsService } from './supporter-rights.service';
import { SupporterController } from './supporter.controller';
import { SupporterRepository } from './supporter.repository';
import { Supporter, SupporterSchema } from './supporter.schema';

/** Supporters and their consent records: joining, confirming, preferences, imports and exports, rights and erasure. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Supporter.name, schema: SupporterSchema },
      { name: Consent.name, schema: ConsentSchema },
      { name: Erasure.name, schema: ErasureSchema },
      { name: OptInCode.name, schema: OptInCodeSchema },
      { name: ChannelReply.name, schema: ChannelReplySchema },
    ]),
    OrganisationsModule,
    CoalitionsModule,
    MembershipsModule,
    SenderIdentityModule,
  ],
  controllers: [SupporterController],
  providers: [
    { provide: LinkSigner, useFactory: (config: SubscriptionsConfig) => new LinkSigner(config.SECRET_KEY), inject: [SERVICE_CONFIG] },
    SupporterRepository,
    ConsentRepository,
    SupporterLinks,
    PublicOrganisationService,
    OptInCodeRepository,
    CodeOptIn,
    ChannelRepliesService,
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
  ],
  exports: [SupporterRepository, ConsentRepository],
})
export class SupportersModule {}
