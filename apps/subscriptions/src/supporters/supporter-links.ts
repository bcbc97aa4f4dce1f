import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionsConfig } from '@clarion/config';
import { deliveryChannelSchema, objectId, type DeliveryChannel } from '@clarion/contracts';
import { Invalid } from '@clarion/errors';
import { LinkSigner } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';

export interface SupporterClaims {
  supporterId: string;
  orgId: string;
}

/** A confirmation link answers one join attempt of one supporter. */
export interface ConfirmClaims extends SupporterClaims {
  attemptId: string;
}

export interface UnsubscribeClaims extends SupporterClaims {
  channel: DeliveryChannel;
}

/** Forged, expired, used, or answering an older join: the person is told the same. */
export const CONFIRM_REFUSED = 'this confirmation link is not valid any more (used, expired, or replaced by a newer one); join again to get a new one';
/** One answer for every code that does not confirm: wrong, expired, used up, sent to another number, or never sent. */
export const CODE_REFUSED = 'this code is not right or not valid any more (wrong, expired, or tried too often); check it, or join again for a new one';

const id = (value: unknown) => (objectId.safeParse(value).success ? (value as string) : undefined);

/**
 * The signed links supporters act through, with the installation's
 * SECRET_KEY: `confirm` {s, o, a: the join attempt} is made here, good for
 * CONFIRMATION_LINK_TTL_MS; `unsubscribe` {s, c, o} and
 * `preferences` {s, o} are made by delivery for every message. A link that
 * is forged, expired or of another kind is refused as an Invalid `token`.
 */
@Injectable()
export class SupporterLinks {
  private readonly base: string;
  private readonly confirmTtlSeconds: number;

  constructor(
    private readonly signer: LinkSigner,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.base = config.PUBLIC_BASE_URL.replace(/\/+$/, '');
    this.confirmTtlSeconds = Math.max(1, Math.floor(config.CONFIRMATION_LINK_TTL_MS / 1000));
  }

  confirmUrl({ supporterId, orgId, attemptId }: ConfirmClaims): string {
    return `${this.base}/join/confirm/${this.signer.sign('confirm', { s: supporterId, o: orgId, a: attemptId }, this.confirmTtlSeconds)}`;
  }

  confirmed(token: string): ConfirmClaims {
    const claims = this.signer.verify('confirm', token);
    const ids = idsOf(claims);
    const attemptId = typeof claims?.a === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(claims.a) ? claims.a : undefined;
    return refusedUnless(ids && attemptId ? { ...ids, attemptId } : undefined, CONFIRM_REFUSED);
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
