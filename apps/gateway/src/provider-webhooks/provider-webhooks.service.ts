import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig } from '@clarion/config';
import { deliveryRpc } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';
import { GATEWAY_CONFIG } from '../gateway-config';
import { postmarkReport, sesReport, type IgnoredReport, type ProviderReport } from './provider-reports';
import { snsMessageSchema, SnsRejected, SnsVerifier, visitOverHttps } from './sns-verifier';

/** What a webhook answers: the status, and a short JSON body (no detail a forger could learn from beyond "refused"). */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const SUBSCRIBE_TIMEOUT_MS = 5_000;

/**
 * Mail providers' bounce and complaint webhooks (docs/decisions/0030): each
 * authenticated (SNS's signature on a topic of ours; Postmark's secret), then
 * handed to delivery, which knows whom the delivery id names. Anything not
 * authenticated is refused before it is read further, and changes nothing.
 */
@Injectable()
export class ProviderWebhooksService {
  private readonly logger = new Logger(ProviderWebhooksService.name);
  private readonly sns: SnsVerifier;
  private readonly topics: Set<string>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly rpc: RpcClient,
  ) {
    this.sns = new SnsVerifier({ hostPattern: new RegExp(config.SNS_CERT_HOST_PATTERN) });
    this.topics = new Set(config.SES_SNS_TOPIC_ARNS);
  }

  async ses(raw: unknown): Promise<WebhookAnswer> {
    if (this.topics.size === 0) return { status: 404, body: { message: 'not found' } };
    let parsed: unknown;
    try {
      parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
    } catch {
      return { status: 400, body: { message: 'body must be an SNS message (JSON)' } };
    }
    const result = snsMessageSchema.safeParse(parsed);
    if (!result.success) return { status: 400, body: { message: 'body must be an SNS message', field: String(result.error.issues[0]?.path[0] ?? '') } };
    const message = result.data;
    if (!this.topics.has(message.TopicArn)) return this.refused('ses', `topic ${message.TopicArn} is not one of SES_SNS_TOPIC_ARNS`);
    try {
      await this.sns.verify(message);
    } catch (error) {
      if (error instanceof SnsRejected) return this.refused('ses', error.message);
      throw error;
    }
    if (message.Type === 'SubscriptionConfirmation') return this.confirmSubscription(message.SubscribeURL);
    if (message.Type === 'UnsubscribeConfirmation') return { status: 200, body: { outcome: 'ignored' } };
    return this.report('ses', sesReport(message.Message), message.MessageId);
  }

  async postmark(authorization: string | undefined, urlSecret: string | undefined, body: unknown): Promise<WebhookAnswer> {
    const secret = this.config.POSTMARK_WEBHOOK_SECRET;
    if (!secret) return { status: 404, body: { message: 'not found' } };
    const given = urlSecret ?? basicAuthPassword(authorization);
    if (given === undefined || !sameSecret(given, secret)) {
      const answer = this.refused('postmark', given === undefined ? 'no credentials' : 'wrong secret', 401);
      return { ...answer, headers: { 'WWW-Authenticate': 'Basic realm="clarion-webhooks"' } };
    }
    const report = postmarkReport(body);
    return this.report('postmark', report, 'reportId' in report ? report.reportId : '');
  }

  /** SNS asks us to confirm a subscription by visiting SubscribeURL: only on an SNS host, never anywhere a message names. */
  private async confirmSubscription(subscribeUrl: string | undefined): Promise<WebhookAnswer> {
    if (!subscribeUrl || !this.sns.isSnsUrl(subscribeUrl)) return this.refused('ses', 'SubscribeURL is not an SNS host over https');
    try {
      const status = await visitOverHttps(new URL(subscribeUrl), SUBSCRIBE_TIMEOUT_MS);
      if (status !== 200) throw new Error(`SubscribeURL answered ${status}`);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'SNS subscription not confirmed');
      // SNS sends the confirmation again a few times; so does an operator's "request confirmation".
      return { status: 502, body: { message: 'subscription not confirmed' } };
    }
    this.logger.log('SNS subscription confirmed');
    return { status: 200, body: { outcome: 'subscribed' } };
  }

  private async report(provider: 'ses' | 'postmark', report: ProviderReport | IgnoredReport, reportId: string): Promise<WebhookAnswer> {
    if ('ignored' in report) {
      this.logger.log({ provider, reason: report.ignored }, 'provider report ignored');
      return { status: 200, body: { outcome: 'ignored' } };
    }
    // A failed request throws: answered 503 by the error filter, and the provider sends the report again.
    const { outcome } = await this.rpc.request(deliveryRpc.providerFeedback, {
      provider,
      kind: report.kind,
      deliveryId: report.deliveryId,
      reportId: reportId || report.deliveryId,
      reason: report.reason.slice(0, 200),
    });
    return { status: 200, body: { outcome } };
  }

  private refused(provider: string, reason: string, status = 403): WebhookAnswer {
    this.logger.warn({ provider, reason }, 'provider webhook refused');
    return { status, body: { statusCode: status, message: 'not authenticated' } };
  }
}

function basicAuthPassword(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** Compared through their hashes, in constant time, so neither length nor prefix leaks. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
