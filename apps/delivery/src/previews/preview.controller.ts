import { Controller } from '@nestjs/common';
import { deliveryRpc, type MessagePreviewView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { MessageLinks } from '../rendering/message-links';
import { RelayMessages } from '../rendering/relay-messages';

/**
 * The sample supporter a preview is rendered for: ids of zeros, so its
 * unsubscribe and preferences links lead nowhere and no person is named.
 */
export const SAMPLE_SUPPORTER_ID = '000000000000000000000000';
const SAMPLE_DELIVERY_ID = '000000000000000000000000';

/**
 * The consoles' previews: a relay's email and push, per language, rendered by
 * the very RelayMessages that renders what supporters receive, for a sample
 * supporter, and sent nowhere. The gateway asks with content it got from the
 * service that authorised the caller (alerts or subscriptions).
 */
@Controller()
export class PreviewController {
  constructor(private readonly links: MessageLinks) {}

  @RequestHandler(deliveryRpc.renderPreview)
  render({ content }: ValidRequestOf<typeof deliveryRpc.renderPreview>): MessagePreviewView[] {
    const messages = new RelayMessages(content, this.links);
    const languages = [content.primaryLanguage, ...Object.keys(content.texts).filter((language) => language !== content.primaryLanguage)];
    return languages.map((language) => {
      const recipient = { supporterId: SAMPLE_SUPPORTER_ID, language, deliveryId: SAMPLE_DELIVERY_ID };
      const { subject, html, text } = messages.email(recipient);
      const push = JSON.parse(messages.pushPayload(recipient)) as { title: string; body: string; url: string };
      return { language, email: { subject, html, text }, push: { title: push.title, body: push.body, url: push.url } };
    });
  }
}
