import { Injectable } from '@nestjs/common';
import { deliveryChannelSchema, objectId, type DeliveryChannel } from '@clarion/contracts';
import { LinkSigner } from '@clarion/security';

export interface UnsubscribeClaims {
  supporterId: string;
  channel: DeliveryChannel;
  orgId: string;
}

export interface PreferencesClaims {
  supporterId: string;
  orgId: string;
}

const id = (value: unknown) => (objectId.safeParse(value).success ? (value as string) : undefined);

/**
 * The signed link tokens of messages (see delivery's MessageLinks: click
 * `r, ch`; unsubscribe `s, c, o`; preferences `s, o`), read and made here
 * with the installation's SECRET_KEY. They carry ids, never personal data.
 */
@Injectable()
export class SignedLinks {
  constructor(private readonly signer: LinkSigner) {}

  /** The landing page's call to action, counted on the way through like a message's. */
  webClickPath(relayId: string): string {
    return `/c/${this.signer.sign('click', { r: relayId, ch: 'web' })}`;
  }

  /** The relay a click token points at, or undefined when it is forged, foreign or malformed. */
  clickedRelay(token: string): string | undefined {
    return id(this.signer.verify('click', token)?.r);
  }

  unsubscribe(token: string): UnsubscribeClaims | undefined {
    const claims = this.signer.verify('unsubscribe', token);
    const supporterId = id(claims?.s);
    const orgId = id(claims?.o);
    const channel = deliveryChannelSchema.safeParse(claims?.c);
    return supporterId && orgId && channel.success ? { supporterId, orgId, channel: channel.data } : undefined;
  }

  preferences(token: string): PreferencesClaims | undefined {
    const claims = this.signer.verify('preferences', token);
    const supporterId = id(claims?.s);
    const orgId = id(claims?.o);
    return supporterId && orgId ? { supporterId, orgId } : undefined;
  }

  preferencesToken({ supporterId, orgId }: PreferencesClaims): string {
    return this.signer.sign('preferences', { s: supporterId, o: orgId });
  }

  unsubscribePath({ supporterId, orgId, channel }: UnsubscribeClaims): string {
    return `/u/${this.signer.sign('unsubscribe', { s: supporterId, c: channel, o: orgId })}`;
  }
}
