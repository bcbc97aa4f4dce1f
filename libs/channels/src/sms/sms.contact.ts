import type { CountryCode } from 'libphonenumber-js/max';
import { z } from 'zod';
import { defineChannel } from '../channel-definition';
import { checkPhoneNumber, normalisePhoneNumber } from './phone-number';
import { smsConfig, type SmsGatewayConfig } from './sms.config';

/**
 * A mobile number as it travels and is stored: E.164. Written otherwise (a
 * national number, spaces) it is normalised; a default region or an allowed
 * list of regions is configuration, applied where the number is taken in
 * (the join page, imports) with normalisePhoneNumber.
 */
export const phoneNumberSchema = z.string().transform((value, ctx) => {
  const checked = checkPhoneNumber(value, {});
  if (checked.ok) return checked.e164;
  ctx.addIssue({ code: 'custom', message: checked.problem });
  return z.NEVER;
});

/**
 * `pending` until the number's owner types back the code texted to it (double opt-in);
 * `suppressed` after the provider refused the number for good (invalid, landline, opted out at the carrier).
 */
export const smsStates = ['pending', 'active', 'unsubscribed', 'suppressed'] as const;
export type SmsState = (typeof smsStates)[number];

/**
 * SMS: a mobile number, confirmed by a code; STOP unsubscribes, START comes back.
 * Its settings are SMS_* (sms.config.ts); without SMS_ACCOUNT_SID it is off (docs/decisions/0037).
 */
export const smsChannel = defineChannel({
  name: 'sms',
  contact: phoneNumberSchema,
  states: smsStates,
  active: 'active',
  // Leaving wins over a provider's refusal: it is the person's own, lasting choice.
  unsubscribe: { from: ['pending', 'active', 'suppressed'], to: 'unsubscribed' },
  outcomes: { suppress: { from: ['pending', 'active'], to: 'suppressed' } },
  /**
   * A START from the number (carrier-authenticated, signed by the provider) restores an earlier consent: from a
   * STOP, or from the provider's opt-out block (21610) that a STOP we never heard put there. Never from `pending`:
   * a join is confirmed by its code.
   */
  resubscribe: { from: ['unsubscribed', 'suppressed'], to: 'active' },
  /** A join texts a code; the code typed back is the consent (a new number, or one that left and joins again). */
  optIn: { by: 'code', confirms: { from: ['pending', 'unsubscribed'], to: 'active' } },
  key: { field: 'phoneKey', of: (phone: string) => phone },
  stored: (phone: string) => phone,
  sendable: (phone: string) => phone,
  /** The installation's SMS gateway, not something in the number: PROVIDER_SEND_RATES=api.twilio.com=10 limits it. */
  providerHost: (_phone: string, config) => (typeof config.SMS_API_BASE_URL === 'string' ? config.SMS_API_BASE_URL : undefined),
  identifiers: (phone: string) => [phone],
  config: smsConfig,
  offered: (config) => config.SMS_ACCOUNT_SID !== undefined,
  intake: (value, config, field) => {
    const { SMS_DEFAULT_REGION, SMS_ALLOWED_REGIONS } = config as Partial<SmsGatewayConfig>;
    const rules = { defaultRegion: SMS_DEFAULT_REGION as CountryCode | undefined, allowedRegions: SMS_ALLOWED_REGIONS as CountryCode[] | undefined };
    return value === undefined || value === '' ? undefined : normalisePhoneNumber(value, rules, field);
  },
});
