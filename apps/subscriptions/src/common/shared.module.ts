import { Module, type DynamicModule } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { OutboundRules, type HostLookup } from '@clarion/security';
import { SUBSCRIPTIONS_CLOCK, systemClock, type Clock } from './clock';

/** What a test may put in place of the real thing. */
export interface SubscriptionsSeams {
  /** The resolver behind the checks of SMTP servers and push endpoints (OutboundRules); the system's by default. */
  lookup?: HostLookup;
  /** The clock of sign-in links, sessions and review reminders; the system's by default. */
  now?: Clock;
}

/**
 * What several features use and a test may replace (SubscriptionsSeams): the
 * clock (accounts, relays) and the outbound rules (sender identity, supporters).
 * Global, like the service's config, so feature modules stay static.
 */
@Module({})
export class SharedModule {
  static forRoot(config: SubscriptionsConfig, seams: SubscriptionsSeams): DynamicModule {
    return {
      module: SharedModule,
      global: true,
      providers: [
        { provide: SUBSCRIPTIONS_CLOCK, useValue: seams.now ?? systemClock },
        { provide: OutboundRules, useValue: OutboundRules.fromConfig(config, seams.lookup) },
      ],
      exports: [SUBSCRIPTIONS_CLOCK, OutboundRules],
    };
  }
}
