import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import type { SubscriptionsConfig } from '@clarion/config';
import { SecretBox, SecretSealer } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { OrganisationsModule } from '../organisations/organisations.module';
import { OrgKeysRepository } from './org-keys.repository';
import { OrgKeys, OrgKeysSchema } from './org-keys.schema';
import { SenderDkimController } from './sender-dkim.controller';
import { SenderDkimService } from './sender-dkim.service';
import { SenderIdentityController } from './sender-identity.controller';
import { SenderIdentityService } from './sender-identity.service';
import { SenderSecretsMigration } from './sender-secrets.migration';
import { SenderSmtpController } from './sender-smtp.controller';
import { SenderSmtpService } from './sender-smtp.service';

/** How an organisation sends: its VAPID keys (made when it is created), sender name, own SMTP server and DKIM key. */
@Module({
  imports: [MongooseModule.forFeature([{ name: OrgKeys.name, schema: OrgKeysSchema }]), OrganisationsModule],
  controllers: [SenderIdentityController, SenderSmtpController, SenderDkimController],
  providers: [
    // Only to open the old form of sender secrets once, in SenderSecretsMigration.
    { provide: SecretBox, useFactory: (config: SubscriptionsConfig) => new SecretBox(config.SECRET_KEY), inject: [SERVICE_CONFIG] },
    { provide: SecretSealer, useFactory: (config: SubscriptionsConfig) => new SecretSealer(config.SENDER_SECRETS_PUBLIC_KEY), inject: [SERVICE_CONFIG] },
    OrgKeysRepository,
    SenderIdentityService,
    SenderSmtpService,
    SenderDkimService,
    SenderSecretsMigration,
  ],
  exports: [SenderIdentityService],
})
export class SenderIdentityModule {}
