import { Module } from '@nestjs/common';
import { SenderIdentityCache } from './sender-identity.cache';

/** Organisations' sender identities, asked of subscriptions and cached. */
@Module({
  providers: [SenderIdentityCache],
  exports: [SenderIdentityCache],
})
export class SenderIdentityModule {}
