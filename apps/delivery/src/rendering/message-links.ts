import type { DeliveryChannel } from '@clarion/contracts';
import type { LinkSigner } from '@clarion/security';

/**
 * Every link in a message points at the gateway (PUBLIC_BASE_URL) and carries
 * a signed token with ids only: no address or other personal data in a URL.
 */
export class MessageLinks {
  private readonly base: string;

  constructor(
    private readonly signer: LinkSigner,
    publicBaseUrl: string,
  ) {
    this.base = publicBaseUrl.replace(/\/+$/, '');
  }

  /** The call to action, counted on the way through; the same for every recipient of the relay on a channel. */
  click(relayId: string, channel: DeliveryChannel): string {
    return `${this.base}/c/${this.signer.sign('click', { r: relayId, ch: channel })}`;
  }

  /** The alert as a web page, for mail clients that show it badly. */
  view(relayId: string): string {
    return `${this.base}/a/${relayId}`;
  }

  /** One-click unsubscribe from one channel (RFC 8058); also the List-Unsubscribe URL. */
  unsubscribe(supporterId: string, channel: DeliveryChannel, orgId: string): string {
    return `${this.base}/u/${this.signer.sign('unsubscribe', { s: supporterId, c: channel, o: orgId })}`;
  }

  preferences(supporterId: string, orgId: string): string {
    return `${this.base}/p/${this.signer.sign('preferences', { s: supporterId, o: orgId })}`;
  }
}
