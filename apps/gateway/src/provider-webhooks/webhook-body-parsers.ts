import type { INestApplication } from '@nestjs/common';
import { text, type Express } from 'express';

/**
 * SNS POSTs its JSON as `text/plain; charset=UTF-8`, which Nest's JSON parser
 * leaves unread: the SES route reads any body as text, and the service parses
 * it. Registered before Nest's parsers (as mountRouteBodyParsers).
 */
export function mountWebhookBodyParsers(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  server.post('/webhooks/ses', text({ type: () => true, limit: '300kb' }));
}
