import { channelNames } from '@clarion/channels';
import type { ChannelStateFields, ConsentRecordView, PublicOrganisationView, SupporterView } from '@clarion/contracts';
import type { OrganisationRecord } from '../organisations/organisation.schema';
import type { ConsentRecord } from './consent.schema';
import type { SupporterRecord } from './supporter.schema';

/** `<channel>State` of each channel the supporter has (`emailState`, `pushState`, …). */
export function channelStatesOf(supporter: Pick<SupporterRecord, 'contacts'>): ChannelStateFields {
  return Object.fromEntries(channelNames.flatMap((name) => {
    const state = supporter.contacts?.[name]?.state;
    return state ? [[`${name}State`, state]] : [];
  }));
}

export function toSupporterView(supporter: SupporterRecord): SupporterView {
  const email = supporter.contacts?.email?.address;
  return {
    id: supporter._id.toHexString(),
    orgId: supporter.orgId,
    ...(email ? { email } : {}),
    ...channelStatesOf(supporter),
    language: supporter.language,
    // Imports now insert whole documents; records from the earlier bulk upserts lack the field on FerretDB. No topics means every topic.
    topics: supporter.topics ?? [],
    createdAt: supporter.createdAt.toISOString(),
  };
}

export function toConsentRecordView(consent: ConsentRecord): ConsentRecordView {
  return {
    supporterId: consent.supporterId,
    channel: consent.channel,
    action: consent.action,
    at: consent.at.toISOString(),
    method: consent.method,
    ...(consent.ip ? { ip: consent.ip } : {}),
    ...(consent.userAgent ? { userAgent: consent.userAgent } : {}),
    ...(consent.source ? { source: consent.source } : {}),
  };
}

export function toPublicOrganisationView(org: OrganisationRecord, vapidPublicKey: string, topics: PublicOrganisationView['topics'] = []): PublicOrganisationView {
  return {
    id: org._id.toHexString(),
    name: org.name,
    slug: org.slug,
    languages: org.languages,
    branding: org.branding,
    vapidPublicKey,
    topics,
  };
}
