import { z } from 'zod';
import { checkPhoneNumber } from './phone-number';

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
 * The registry's entry once it lands: `sms: defineChannel(smsChannel)` (docs/decisions/0037).
 */
export const smsChannel = {
  name: 'sms' as const,
  contact: phoneNumberSchema,
  states: smsStates,
  active: 'active' as const,
  // Leaving wins over a provider's refusal: it is the person's own, lasting choice.
  unsubscribe: { from: ['pending', 'active', 'suppressed'] as SmsState[], to: 'unsubscribed' as const },
  outcomes: { suppress: { from: ['pending', 'active'] as SmsState[], to: 'suppressed' as const } },
  /**
   * A START from the number (carrier-authenticated, signed by the provider) restores an earlier consent: from a
   * STOP, or from the provider's opt-out block (21610) that a STOP we never heard put there. Never from `pending`:
   * a join is confirmed by its code.
   */
  resubscribe: { from: ['unsubscribed', 'suppressed'] as SmsState[], to: 'active' as const },
  key: { field: 'phoneKey', of: (phone: string) => phone },
  stored: (phone: string) => phone,
  sendable: (phone: string) => phone,
  /**
   * The provider is the installation's SMS gateway, not something in the number: the registry's
   * providerHost(contact) cannot see configuration, so delivery's SmsChannel.providerHost names it.
   */
  providerHost: (): string | undefined => undefined,
  identifiers: (phone: string) => [phone],
};
