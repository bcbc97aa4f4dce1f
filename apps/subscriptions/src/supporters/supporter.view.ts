import type { ConsentRecordView, PublicOrganisationView, SupporterView } from '@clarion/contracts';
import type { OrganisationRecord } from '../organisations/organisation.schema';
import type { ConsentRecord } from './consent.schema';
import type { SupporterRecord } from './supporter.schema';

export function toSupporterView(supporter: SupporterRecord): SupporterView {
  return {
    id: supporter._id.toHexString(),
    orgId: supporter.orgId,
    ...(supporter.email ? { email: supporter.email } : {}),
    ...(supporter.emailState ? { emailState: supporter.emailState } : {}),
    ...(supporter.pushState ? { pushState: supporter.pushState } : {}),
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
