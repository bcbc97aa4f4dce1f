import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { DEVELOPMENT_SECRET_KEY, type DeliveryConfig } from '@clarion/config';
import { LinkSigner, lookupAddresses, OutboundRules, SecretOpener, type HostLookup } from '@clarion/security';
import { TtlCache } from './ttl-cache';

/** What a test may put in place of the real thing. */
export interface DeliverySeams {
  /** The resolver behind the checks of SMTP servers and push endpoints; the system's by default. */
  lookup?: HostLookup;
}

function linkSigner(config: DeliveryConfig): LinkSigner {
  if (config.SECRET_KEY === DEVELOPMENT_SECRET_KEY) {
    new Logger('DeliveryModule').warn('SECRET_KEY is the development default: links in messages can be forged; set a secret of your own');
  }
  return new LinkSigner(config.SECRET_KEY);
}

/** Push endpoints concentrate on a few hosts (the browsers' push services): each resolved once a minute, not once a message. */
const HOST_CACHE_TTL_MS = 60_000;
const HOST_CACHE_SIZE = 1_000;

/**
 * Where organisations' SMTP servers and supporters' push endpoints may make
 * delivery connect (docs/decisions/0023). Lookups are cached; a connection
 * still goes to the address that was checked, whatever the host answers later.
 */
function outboundRules(config: DeliveryConfig, lookup: HostLookup = lookupAddresses): OutboundRules {
  const hosts = new TtlCache<string[]>(HOST_CACHE_TTL_MS, HOST_CACHE_SIZE);
  return OutboundRules.fromConfig(config, (host) => hosts.get(host, () => lookup(host)));
}

/**
 * What several features use, made once from the config: the link signer
 * (rendering, progress), the outbound rules (channels, webhooks; a test's
 * resolver goes here) and the opener of secrets sealed to delivery's key
 * (sender identities, webhooks). Global, like the service's config, so
 * feature modules stay static.
 */
@Module({})
export class SharedModule {
  static forRoot(config: DeliveryConfig, seams: DeliverySeams): DynamicModule {
    return {
      module: SharedModule,
      global: true,
      providers: [
        { provide: LinkSigner, useValue: linkSigner(config) },
        { provide: OutboundRules, useValue: outboundRules(config, seams.lookup) },
        // Opens the sender secrets subscriptions and the gateway sealed to delivery's key (docs/decisions/0020).
        { provide: SecretOpener, useValue: new SecretOpener(config.SENDER_SECRETS_KEY_FILE) },
      ],
      exports: [LinkSigner, OutboundRules, SecretOpener],
    };
  }
}
