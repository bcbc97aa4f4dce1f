import { Inject, Injectable } from '@nestjs/common';
import { missingSmsSettings, type SmsDeliveryConfig } from '@clarion/channels';
import type { DeliveryConfig } from '@clarion/config';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { FeedbackPublisher } from '../../feedback/feedback.publisher';
import type { RecipientRef } from '../../rendering/relay-messages';
import type { ChannelSender, OptInCodeText, RelaySending, SendFact, SendOutcome } from '../channel';
import { alertSms, optInCodeSms } from './sms-text';
import { SmsChannel } from './sms.channel';

/** The settings SMS needs once SMS_ACCOUNT_SID turns it on. */
const NEEDED = ['SMS_API_SECRET'] as const;

/**
 * Alert texts through the installation's SMS gateway (Twilio's API shape), rendered once per language:
 * nothing in them is the recipient's (STOP replaces the unsubscribe link). Off without SMS_ACCOUNT_SID:
 * the join page does not offer SMS then, and a number already on a list waits (retry) rather than lose it.
 */
@Injectable()
export class SmsSender implements ChannelSender<'sms'> {
  private readonly sms?: SmsChannel;
  private readonly maxSegments: number;

  constructor(
    private readonly feedback: FeedbackPublisher,
    @Inject(SERVICE_CONFIG) config: DeliveryConfig,
  ) {
    this.sms = smsChannelFrom(config);
    this.maxSegments = config.SMS_MAX_SEGMENTS;
  }

  forRelay({ relay, messages }: RelaySending): (ref: RecipientRef, phone: string) => Promise<SendOutcome> {
    const { sms } = this;
    if (!sms) return async () => ({ kind: 'retry', reason: 'SMS is off in this delivery worker (SMS_ACCOUNT_SID unset)' });
    const link = messages.followUp?.kind === 'retraction' ? messages.links.view(relay.relayId) : messages.links.click(relay.relayId, 'sms');
    return (ref, to) => sms.send({ to, body: messages.perLanguage('sms', ref.language, (content) => alertSms(relay, content, link, messages.followUp, this.maxSegments)) });
  }

  /** The join's code (docs/decisions/0037); SMS off: retry, like an alert. */
  async sendCode({ to, orgName, code, language, expiresInMinutes }: OptInCodeText<'sms'>): Promise<SendOutcome> {
    if (!this.sms) return { kind: 'retry', reason: 'SMS is off in this delivery worker (SMS_ACCOUNT_SID unset)' };
    return this.sms.send({ to, body: optInCodeSms(orgName, code, language, expiresInMinutes) });
  }

  /** One gateway for the installation: a bounded label whatever the number. */
  providerClass(): string {
    return 'sms-gateway';
  }

  /** The provider refused the number for good (invalid, landline, opted out at the carrier): subscriptions suppresses it. */
  async report(outcome: SendOutcome, fact: SendFact, phone: string): Promise<void> {
    if (outcome.kind === 'suppress' || outcome.kind === 'gone') await this.feedback.contactRefused('sms', outcome, fact, phone);
  }
}

/** The provider client when SMS is on; a half-configured SMS stops the boot naming what is missing. */
export function smsChannelFrom(config: SmsDeliveryConfig): SmsChannel | undefined {
  const problem = missingSmsSettings(config, config.SMS_MESSAGING_SERVICE_SID ? NEEDED : [...NEEDED, 'SMS_FROM']);
  if (problem) throw new Error(problem);
  if (!config.SMS_ACCOUNT_SID || !config.SMS_API_SECRET) return undefined;
  return new SmsChannel({
    baseUrl: config.SMS_API_BASE_URL,
    accountSid: config.SMS_ACCOUNT_SID,
    credentials: { user: config.SMS_API_KEY_SID ?? config.SMS_ACCOUNT_SID, secret: config.SMS_API_SECRET },
    sender: config.SMS_MESSAGING_SERVICE_SID ? { messagingServiceSid: config.SMS_MESSAGING_SERVICE_SID } : { from: config.SMS_FROM! },
    timeoutMs: config.SMS_TIMEOUT_MS,
  });
}
