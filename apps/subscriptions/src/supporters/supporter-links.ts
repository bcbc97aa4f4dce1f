import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { deliveryChannelSchema, objectId, type DeliveryChannel } from '@clarion/contracts';
import { Invalid } from '@clarion/errors';
import { LinkSigner } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';

/** Long enough for a person to find the email after a weekend; short enough that an old link is not a standing key. */
const CONFIRM_TTL_SECONDS = 7 * 24 * 60 * 60;

export interface SupporterClaims {
  supporterId: string;
  orgId: string;
}

export interface UnsubscribeClaims extends SupporterClaims {
  channel: DeliveryChannel;
}

const id = (value: unknown) => (objectId.safeParse(value).success ? (value as string) : undefined);

/**
 * The signed links supporters act through, with the installation's
 * SECRET_KEY: `confirm` {s, o} is made here; `unsubscribe` {s, c, o} and
 * `preferences` {s, o} are made by delivery for every message. A link that
 * is forged, expired or of another kind is refused as an Invalid `token`.
 */
@Injectable()
export class SupporterLinks {
  private readonly base: string;

  constructor(
    private readonly signer: LinkSigner,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.base = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
  }

  confirmUrl({ supporterId, orgId }: SupporterClaims): string {
    return `${this.base}/join/confirm/${this.signer.sign('confirm', { s: supporterId, o: orgId }, CONFIRM_TTL_SECONDS)}`;
  }

  confirmed(token: string): SupporterClaims {
    return refusedUnless(idsOf(this.signer.verify('confirm', token)), 'this confirmation link is not valid or has expired; join again to get a new one');
  }

  unsubscribing(token: string): UnsubscribeClaims {
    const claims = this.signer.verify('unsubscribe', token);
    const ids = idsOf(claims);
    const channel = deliveryChannelSchema.safeParse(claims?.c);
    return refusedUnless(ids && channel.success ? { ...ids, channel: channel.data } : undefined, 'this unsubscribe link is not valid');
  }

  preferences(token: string): SupporterClaims {
    return refusedUnless(idsOf(this.signer.verify('preferences', token)), 'this preferences link is not valid');
  }
}

function idsOf(claims: Record<string, string | number> | undefined): SupporterClaims | undefined {
  const supporterId = id(claims?.s);
  const orgId = id(claims?.o);
  return supporterId && orgId ? { supporterId, orgId } : undefined;
}

function refusedUnless<T>(claims: T | undefined, refusal: string): T {
  if (!claims) throw new Invalid(refusal, 'token');
  return claims;
}
