import type { INestApplication } from '@nestjs/common';
import { MAX_INBOUND_BYTES } from '@clarion/channels';
import { raw, text, type Express } from 'express';

/**
 * SNS POSTs its JSON as `text/plain; charset=UTF-8`, which Nest's JSON parser
 * leaves unread: the SES route reads any body as text, and the service parses
 * it. Registered before Nest's parsers (as mountRouteBodyParsers).
 * The SMS provider's replies are read raw, at most 32 kB (413 beyond).
 */
export function mountWebhookBodyParsers(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  server.post('/webhooks/ses', text({ type: () => true, limit: '300kb' }));
  // Raw, any type: the SMS reply's signature is over the form as sent, and a wrong type is refused (415) after.
  server.post('/webhooks/channels/sms', raw({ type: () => true, limit: MAX_INBOUND_BYTES }));
}
