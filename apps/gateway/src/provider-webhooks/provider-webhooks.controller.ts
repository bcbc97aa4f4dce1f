import { Body, Controller, Headers, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProviderWebhooksService, type WebhookAnswer } from './provider-webhooks.service';
import { SmsRepliesService } from './sms-replies.service';

/** Where mail providers report bounces and complaints (docs/decisions/0030), and SMS providers relay replies (0037). */
@Controller('webhooks')
export class ProviderWebhooksController {
  constructor(
    private readonly webhooks: ProviderWebhooksService,
    private readonly smsReplies: SmsRepliesService,
  ) {}

  /** Supporters' SMS replies (STOP, START) from the provider, the body read raw (mountWebhookBodyParsers) for its signature. */
  @Post('channels/sms')
  async sms(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { status, contentType, body } = await this.smsReplies.reply({ contentType: req.get('content-type'), signature: req.get('x-twilio-signature'), body: req.body });
    res.status(status).type(contentType).send(body);
  }

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
