import { Body, Controller, Headers, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ProviderWebhooksService, type WebhookAnswer } from './provider-webhooks.service';

/** Where mail providers report bounces and complaints (docs/decisions/0030). */
@Controller('webhooks')
export class ProviderWebhooksController {
  constructor(private readonly webhooks: ProviderWebhooksService) {}

  /** Amazon SES through SNS, which POSTs its JSON as text/plain (mountWebhookBodyParsers reads it as text). */
  @Post('ses')
  async ses(@Body() body: unknown, @Res() res: Response): Promise<void> {
    answer(res, await this.webhooks.ses(body));
  }

  @Post('postmark')
  async postmark(@Headers('authorization') authorization: string | undefined, @Body() body: unknown, @Res() res: Response): Promise<void> {
    answer(res, await this.webhooks.postmark(authorization, undefined, body));
  }

  /** The same, for a webhook set up with the secret in its URL rather than basic auth. */
  @Post('postmark/:secret')
  async postmarkWithSecret(@Param('secret') secret: string, @Body() body: unknown, @Res() res: Response): Promise<void> {
    answer(res, await this.webhooks.postmark(undefined, secret, body));
  }
}

function answer(res: Response, { status, body, headers }: WebhookAnswer): void {
  for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
  res.status(status).json(body);
}
