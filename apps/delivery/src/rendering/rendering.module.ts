import { Module } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { LinkSigner } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { MessageLinks } from './message-links';

/** The signed links every message carries (the templates themselves are plain functions). */
@Module({
  providers: [
    {
      provide: MessageLinks,
      useFactory: (signer: LinkSigner, config: DeliveryConfig) => new MessageLinks(signer, config.PUBLIC_BASE_URL),
      inject: [LinkSigner, SERVICE_CONFIG],
    },
  ],
  exports: [MessageLinks],
})
export class RenderingModule {}
