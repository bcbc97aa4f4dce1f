import { createHash } from 'node:crypto';
import { z } from 'zod';
import { channels } from './registry';

type Registry = typeof channels;
export type ChannelName = keyof Registry;

/** The contact on a channel as it travels (a batch recipient's, a join's). */
export type ContactOf<C extends ChannelName> = z.output<Registry[C]['contact']>;
/** The contact on a channel as the supporter store keeps it. */
export type StoredContactOf<C extends ChannelName> = ReturnType<Registry[C]['stored']>;
export type ChannelStateOf<C extends ChannelName> = Registry[C]['states'][number];

/** A supporter's contacts, keyed by channel: those they have. */
export type Contacts = { [C in ChannelName]?: ContactOf<C> };

export const channelNames = Object.keys(channels) as [ChannelName, ...ChannelName[]];
export const channelNameSchema = z.enum(channelNames);

/** A contacts map, each channel's contact checked and normalised by its own schema (issues name `contacts.<channel>`). */
export const contactsSchema = z.strictObject(
  Object.fromEntries(channelNames.map((name) => [name, channels[name].contact.optional()])) as {
    [C in ChannelName]: z.ZodOptional<Registry[C]['contact']>;
  },
);

/** The registry entry of a channel, typed by name. */
export function channelOf<C extends ChannelName>(name: C): Registry[C] {
  return channels[name];
}

/** Each channel name with its contact in `contacts`, in registry order. */
export function contactEntries(contacts: Contacts): { [C in ChannelName]: [C, ContactOf<C>] }[ChannelName][] {
  return channelNames.flatMap((name) => (contacts[name] === undefined ? [] : [[name, contacts[name]] as [typeof name, ContactOf<typeof name>]])) as never;
}

/**
 * Messages stored before the registry carried each contact beside the other fields (`email`, `push`):
 * read with this, they come out with those in `contacts` (docs/decisions/0036).
 */
export function withLegacyContacts<T extends z.ZodType>(schema: T) {
  return z.preprocess((value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || 'contacts' in value) return value;
    const rest: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const contacts: Record<string, unknown> = {};
    for (const name of channelNames) {
      if (rest[name] !== undefined) contacts[name] = rest[name];
      delete rest[name];
    }
    return { ...rest, contacts };
  }, schema);
}

/**
 * sha256 of a stored contact's key: how a feedback event names the contact a provider refused without
 * carrying it (no address or number travels on the bus for it).
 */
export function contactKeyHash<C extends ChannelName>(channel: C, stored: StoredContactOf<C>): string {
  const key = (channels[channel].key.of as (contact: StoredContactOf<C>) => string)(stored);
  return createHash('sha256').update(key).digest('hex');
}

/** The channels confirmed by a code sent on them (`optIn.by === 'code'`): subscriptions joins them one way. */
export const codeOptInChannels = channelNames.filter((name) => (channels[name] as AnyChannelWithOptIn).optIn?.by === 'code');
export const codeOptInChannelSchema = z.enum(codeOptInChannels as [ChannelName, ...ChannelName[]]);
type AnyChannelWithOptIn = { optIn?: { by: 'code'; confirms: { from: readonly string[]; to: string } } };
