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
export function recipientFor(member: AudienceMember, { channels, alertTopics }: Audience): Recipient | undefined {
  // Older or bulk-upserted records may lack the field; no topics means every topic.
  if (!topicsMatch(member.topics ?? [], alertTopics)) return undefined;
  const email = channels.includes('email') && member.emailState === 'active' ? member.email : undefined;
  const push = channels.includes('push') && member.pushState === 'active' ? member.push : undefined;
  if (!email && !push) return undefined;
  return {
    supporterId: member._id.toHexString(),
    language: member.language,
    ...(email ? { email } : {}),
    ...(push ? { push: { endpoint: push.endpoint, keys: push.keys } } : {}),
  };
}
