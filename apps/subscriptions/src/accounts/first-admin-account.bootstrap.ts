import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { AccountRepository } from './account.repository';
import { SignInService } from './sign-in.service';

/** The first admin's one-time link waits a day: it is printed at the first start, not mailed. */
export const FIRST_ADMIN_LINK_TTL_MS = 24 * 60 * 60_000;

/** Where a sign-in link opens the console: the secret in the fragment, which browsers never send to a server. */
export const signInUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl.replace(/\/+$/, '')}/console/sign-in#token=${token}`;

/**
 * A fresh installation has nobody who could invite the first person: at its
 * first start the service creates the first admin's console account
 * (BOOTSTRAP_ADMIN_EMAIL) with a one-time sign-in link, whose secret is
 * BOOTSTRAP_ADMIN_SIGN_IN_TOKEN (the launcher prints the link) or a random
 * one shown once on stdout, never in the JSON logs.
 */
@Injectable()
export class FirstAdminAccountBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminAccountBootstrap.name);

  constructor(
    private readonly accounts: AccountRepository,
    private readonly signIn: SignInService,
    @Inject(SERVICE_CONFIG) private readonly config: SubscriptionsConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const account = await this.accounts.createFirstAdmin(this.config.BOOTSTRAP_ADMIN_EMAIL);
    if (!account) return; // made at an earlier start, or by another replica now
    const configured = this.config.BOOTSTRAP_ADMIN_SIGN_IN_TOKEN;
    const token = await this.signIn.issueLink(account, FIRST_ADMIN_LINK_TTL_MS, configured);
    this.logger.log({ accountId: account._id.toHexString(), linkFrom: configured ? 'BOOTSTRAP_ADMIN_SIGN_IN_TOKEN' : 'stdout' }, 'first admin account created');
    if (!configured) process.stdout.write(`FIRST ADMIN SIGN-IN LINK (shown once, good for 24 hours): ${signInUrl(this.config.PUBLIC_BASE_URL, token)}\n`);
  }
}
