import { z } from 'zod';
import { defineChannel } from '../channel-definition';

/** A supporter's address as stored and looked up: trimmed and lower-cased. */
export const emailAddressSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .email('must be an email address');

/** `pending` until the address's owner follows the confirmation link (double opt-in); `suppressed` after a hard bounce. */
export const emailStates = ['pending', 'active', 'unsubscribed', 'suppressed'] as const;
export type EmailState = (typeof emailStates)[number];

/** Email: an address, confirmed by its owner; a permanent refusal suppresses it. */
export const emailChannel = defineChannel({
  name: 'email',
  contact: emailAddressSchema,
  states: emailStates,
  active: 'active',
  // Leaving wins over a bounce: it is the person's own, lasting choice.
  unsubscribe: { from: ['pending', 'active', 'suppressed'], to: 'unsubscribed' },
  // One who unsubscribed stays unsubscribed.
  outcomes: { suppress: { from: ['pending', 'active'], to: 'suppressed' } },
  key: { field: 'emailKey', of: (address: string) => address },
  stored: (address: string) => address,
  sendable: (address: string) => address,
  providerHost: (address: string) => {
    const at = address.lastIndexOf('@');
    return at >= 0 ? address.slice(at + 1) : undefined;
  },
  identifiers: (address: string) => [address],
});
