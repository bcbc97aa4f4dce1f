import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { hashTokenSecret, newTokenSecret } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { TokenRepository } from './token.repository';

/**
 * A fresh installation has nobody who could create the first token, so the
 * service creates an admin token at its first start: with the configured
 * secret, or a random one shown once on stdout (never in the JSON logs).
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminBootstrap.name);

  constructor(
    private readonly tokens: TokenRepository,
    @Inject(SERVICE_CONFIG) private readonly config: SubscriptionsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.tokens.hasAdmin()) return;
    const configured = this.config.BOOTSTRAP_ADMIN_TOKEN;
    const secret = configured ?? newTokenSecret();
    const token = await this.tokens.createFirstAdmin(hashTokenSecret(secret));
    if (!token) return; // another replica started at the same moment and created it
    this.logger.log({ tokenId: token._id.toHexString(), secretFrom: configured ? 'BOOTSTRAP_ADMIN_TOKEN' : 'stdout' }, 'first admin token created');
    if (!configured) process.stdout.write(`FIRST ADMIN TOKEN (shown once): ${secret}\n`);
  }
}
