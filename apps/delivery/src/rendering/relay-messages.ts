import type { ChannelName } from '@clarion/channels';
import type { FollowUp, RelayContent } from '@clarion/contracts';
import { alertContent, shownLanguage, type AlertContent } from './alert-content';
import { alertEmail, type AlertEmail } from './alert-email';
import { alertPush, pushPayload, type AlertPush } from './alert-push';
import { followUpStrings } from './follow-up-strings';
import type { MessageLinks } from './message-links';
import { oneLine } from './html-text';
import { retractionEmail } from './retraction-email';

/** The per-recipient part of a message: who, on which channel, and the ledger record it goes out under. */
export interface RecipientRef {
  supporterId: string;
  language: string;
  deliveryId: string;
  /** For a follow-up: the delivery id of the original it follows on the same channel. */
  originalDeliveryId?: string;
}

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
  /** This recipient's own headers. */
  headers: Record<string, string>;
  /** The same for every recipient of the relay: an email prepared once per relay carries them (channels/email/mime-message.ts). */
  relayHeaders: Record<string, string>;
}

/**
 * One relay's messages, rendered once per language and channel on first use
 * and then filled in per recipient with that recipient's links and delivery id.
 * Email and push render here (previews show both); another channel renders in
 * its own folder through `perLanguage` (docs/adding-a-channel.md).
 */
export class RelayMessages {
  private readonly rendered = new Map<string, unknown>();

  constructor(
    readonly relay: RelayContent,
    readonly links: MessageLinks,
    /** Set when the messages are a correction or a retraction of the relay's original (docs/decisions/0028). */
    readonly followUp?: FollowUp,
  ) {}

  /** A channel's rendering of the relay in the language shown to a recipient who asked for `requested`, made once per language. */
  perLanguage<T>(channel: ChannelName, requested: string, render: (content: AlertContent) => T): T {
    const language = shownLanguage(this.relay, requested);
    const key = `${channel} ${language}`;
    if (!this.rendered.has(key)) this.rendered.set(key, render(alertContent(this.relay, language)));
    return this.rendered.get(key) as T;
  }

  email(recipient: RecipientRef): EmailContent {
    const { relayId, orgId } = this.relay;
    const { followUp } = this;
    const rendered = this.perLanguage<AlertEmail>('email', recipient.language, (content) =>
      followUp?.kind === 'retraction'
        ? retractionEmail(this.relay, content, followUp.reason)
        : alertEmail(this.relay, content, { click: this.links.click(relayId, 'email'), view: this.links.view(relayId) }, followUp?.kind === 'update'),
    );
    const slots = {
      unsubscribeUrl: this.links.unsubscribe(recipient.supporterId, 'email', orgId),
      preferencesUrl: this.links.preferences(recipient.supporterId, orgId),
      deliveryId: recipient.deliveryId,
    };
    return {
      subject: rendered.subject,
      html: rendered.html.fill(slots),
      text: rendered.text.fill(slots),
      headers: {
        'List-Unsubscribe': `<${slots.unsubscribeUrl}>`,
        'X-Clarion-Delivery-Id': recipient.deliveryId,
        // Echoed back in Postmark's and SES's bounce and complaint webhooks (Metadata, mail.tags), which name the delivery by it.
        'X-PM-Metadata-clarion-delivery-id': recipient.deliveryId,
        'X-SES-MESSAGE-TAGS': `clarion-delivery-id=${recipient.deliveryId}`,
      },
      relayHeaders: {
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Clarion-Relay-Id': relayId,
      },
    };
  }

  pushPayload(recipient: RecipientRef): string {
    const { followUp } = this;
    const rendered = this.perLanguage<AlertPush>('push', recipient.language, (content) => {
      const push = alertPush(this.relay, content, this.links.click(this.relay.relayId, 'push'));
      if (!followUp) return push;
      const words = followUpStrings(content.language);
      if (followUp.kind === 'update') return { ...push, title: `${words.updatePrefix}: ${push.title}` };
      return { ...push, title: `${words.retractionPrefix}: ${push.title}`, body: oneLine(words.retraction(this.relay.org.name), 200), url: this.links.view(this.relay.relayId) };
    });
    const original = followUp && recipient.originalDeliveryId ? { kind: followUp.kind, originalDeliveryId: recipient.originalDeliveryId } : undefined;
    return pushPayload(rendered, recipient.deliveryId, original);
  }
}
