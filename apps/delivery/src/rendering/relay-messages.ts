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
  headers: Record<string, string>;
}

/**
 * One relay's messages, rendered once per language on first use and then
 * filled in per recipient with that recipient's links and delivery id.
 */
export class RelayMessages {
  private readonly emails = new Map<string, AlertEmail>();
  private readonly pushes = new Map<string, AlertPush>();

  constructor(
    private readonly relay: RelayContent,
    private readonly links: MessageLinks,
    private readonly followUp?: FollowUp,
  ) {}

  email(recipient: RecipientRef): EmailContent {
    const { relayId, orgId } = this.relay;
    const { followUp } = this;
    const rendered = this.rendered(this.emails, recipient.language, (content) =>
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
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        'X-Clarion-Delivery-Id': recipient.deliveryId,
        'X-Clarion-Relay-Id': relayId,
      },
    };
  }

  pushPayload(recipient: RecipientRef): string {
    const { followUp } = this;
    const rendered = this.rendered(this.pushes, recipient.language, (content) => {
      const push = alertPush(this.relay, content, this.links.click(this.relay.relayId, 'push'));
      if (!followUp) return push;
      const words = followUpStrings(content.language);
      if (followUp.kind === 'update') return { ...push, title: `${words.updatePrefix}: ${push.title}` };
      return { ...push, title: `${words.retractionPrefix}: ${push.title}`, body: oneLine(words.retraction(this.relay.org.name), 200), url: this.links.view(this.relay.relayId) };
    });
    const original = followUp && recipient.originalDeliveryId ? { kind: followUp.kind, originalDeliveryId: recipient.originalDeliveryId } : undefined;
    return pushPayload(rendered, recipient.deliveryId, original);
  }

  private rendered<T>(cache: Map<string, T>, requested: string, render: (content: AlertContent) => T): T {
    const language = shownLanguage(this.relay, requested);
    let rendered = cache.get(language);
    if (!rendered) {
      rendered = render(alertContent(this.relay, language));
      cache.set(language, rendered);
    }
    return rendered;
  }
}
