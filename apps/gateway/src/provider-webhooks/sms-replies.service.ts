import { Inject, Injectable, Logger } from '@nestjs/common';
import { channels, inboundSmsAnswer, readInboundSms, type InboundSmsAnswer, type InboundSmsSettings } from '@clarion/channels';
import type { GatewayConfig } from '@clarion/config';
import { supporterRpc } from '@clarion/contracts';
import { RpcClient } from '@clarion/messaging';
import { GATEWAY_CONFIG } from '../gateway-config';

const NOT_FOUND: InboundSmsAnswer = { status: 404, contentType: 'text/plain; charset=utf-8', body: 'not found' };

/**
 * Supporters' replies to our texts, as the SMS provider posts them (docs/decisions/0037): Twilio's signature
 * over SMS_INBOUND_WEBHOOK_URL checked by inbound-sms.ts, then STOP or START handed to subscriptions by the
 * number and the provider's MessageSid (which makes acting on it once). Not there (404) unless SMS is on and
 * the account's auth token and the webhook's URL are set.
 */
@Injectable()
export class SmsRepliesService {
  private readonly logger = new Logger(SmsRepliesService.name);
  private readonly settings?: InboundSmsSettings;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly rpc: RpcClient,
  ) {
    const { SMS_ACCOUNT_SID, SMS_AUTH_TOKEN, SMS_INBOUND_WEBHOOK_URL } = config;
    const on = channels.sms.offered?.(config as unknown as Record<string, unknown>) ?? false;
    if (on && SMS_ACCOUNT_SID && SMS_AUTH_TOKEN && SMS_INBOUND_WEBHOOK_URL) this.settings = { accountSid: SMS_ACCOUNT_SID, authToken: SMS_AUTH_TOKEN, webhookUrl: SMS_INBOUND_WEBHOOK_URL };
  }

  async reply(request: { contentType: string | undefined; signature: string | undefined; body: unknown }): Promise<InboundSmsAnswer> {
    if (!this.settings) return NOT_FOUND;
    const body = Buffer.isBuffer(request.body) || typeof request.body === 'string' ? request.body : '';
    const verdict = readInboundSms({ contentType: request.contentType, signature: request.signature, body }, this.settings);
    if (!verdict.ok) {
      this.logger.warn({ status: verdict.status, reason: verdict.reason }, 'SMS webhook refused');
      return inboundSmsAnswer(verdict);
    }
    const { action } = verdict;
    if (action.kind !== 'none') {
      const { moved } = await this.rpc.request(supporterRpc.channelReply, {
        channel: 'sms',
        contact: action.from,
        action: action.kind,
        replyId: action.messageSid,
        source: `sms reply to ${action.to}`,
      });
      this.logger.log({ action: action.kind, messageSid: action.messageSid, moved }, 'SMS reply acted on');
    }
    return inboundSmsAnswer(verdict);
  }
}
