import { channels, type ChannelName, type ContactOf, type Contacts, type StoredContactOf } from '@clarion/channels';
import type { DeliveryChannel, Recipient } from '@clarion/contracts';
import type { AudienceMember } from '../supporters/supporter.repository';

/** Who a relay is for: its channels, and the alert's topics. */
export interface Audience {
  channels: DeliveryChannel[];
  alertTopics: string[];
}

/**
 * A supporter who picked no topics wants everything, and an alert without
 * topics is for everyone; otherwise they must share one.
 */
export function topicsMatch(supporterTopics: string[], alertTopics: string[]): boolean {
  return supporterTopics.length === 0 || alertTopics.length === 0 || supporterTopics.some((topic) => alertTopics.includes(topic));
}

/**
 * The supporter as a batch recipient, carrying only the channels this relay
 * may use and the supporter is active on; undefined when that leaves none,
 * or when the alert's topics are not theirs.
 */
export function recipientFor(member: AudienceMember, { channels: relayChannels, alertTopics }: Audience): Recipient | undefined {
  // Older or bulk-upserted records may lack the field; no topics means every topic.
  if (!topicsMatch(member.topics ?? [], alertTopics)) return undefined;
  const contacts: Contacts = {};
  for (const channel of relayChannels) reachOn(contacts, channel, member);
  if (Object.keys(contacts).length === 0) return undefined;
  return { supporterId: member._id.toHexString(), language: member.language, contacts };
}

/** Adds the member's contact on the channel as sending needs it, if they are active there. */
function reachOn<C extends ChannelName>(contacts: Contacts, channel: C, member: AudienceMember): void {
  const contact = member.contacts?.[channel];
  const definition = channels[channel];
  if (contact?.address === undefined || contact.state !== definition.active) return;
  contacts[channel] = (definition.sendable as (stored: StoredContactOf<C>) => ContactOf<C>)(contact.address as StoredContactOf<C>) as Contacts[C];
}
