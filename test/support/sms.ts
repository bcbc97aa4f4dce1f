import type { NetworkOptions } from '@clarion/testing';
import { http } from '@clarion/testing';
import type { SmsProvider } from '@clarion/sinks';
import { eventually, expectStatus } from './api';

/** The inbound webhook's URL on a gateway listening on `gatewayPort`: what the provider posts replies to and signs. */
export const smsWebhookUrl = (gatewayPort: number) => `http://127.0.0.1:${gatewayPort}/webhooks/channels/sms`;

/** SMS on: delivery sends through the local provider, the gateway offers SMS and checks the provider's replies. */
export function smsEnv(provider: SmsProvider, gatewayPort: number): NonNullable<NetworkOptions['env']> {
  return {
    delivery: { SMS_API_BASE_URL: provider.httpUrl, SMS_ACCOUNT_SID: provider.accountSid, SMS_API_SECRET: provider.authToken, SMS_FROM: provider.number },
    gateway: { SMS_ACCOUNT_SID: provider.accountSid, SMS_AUTH_TOKEN: provider.authToken, SMS_INBOUND_WEBHOOK_URL: smsWebhookUrl(gatewayPort) },
  };
}

/** The six-digit code in the latest text to `number`, once it arrived (after `before` texts to it). */
export async function codeTextedTo(provider: SmsProvider, number: string, before = 0): Promise<string> {
  const text = await eventually(`code texted to ${number}`, async () => provider.messages(number)[before]);
  const code = /\b(\d{6})\b/.exec(text.body)?.[1];
  if (!code) throw new Error(`no code in the text: ${text.body}`);
  return code;
}

/** Joins by phone through the JSON join and confirms with the code the provider received. */
export async function joinByPhone(gatewayUrl: string, provider: SmsProvider, slug: string, number: string, language: string): Promise<void> {
  expect(expectStatus(await http('POST', `${gatewayUrl}/join/${slug}`, { body: { sms: number, language, topics: [] } }), 201).body).toEqual({ smsState: 'pending' });
  const code = await codeTextedTo(provider, number);
  expectStatus(await http('POST', `${gatewayUrl}/join/${slug}/code`, { body: { channel: 'sms', contact: number, code } }), 200);
}
