import type { OrganisationView } from '@clarion/contracts';
import type { OrganisationRecord } from './organisation.schema';

export function toOrganisationView(org: OrganisationRecord): OrganisationView {
  return {
    id: org._id.toHexString(),
    name: org.name,
    slug: org.slug,
    country: org.country,
    languages: org.languages,
    branding: org.branding,
    ...(org.joinTopics ? { joinTopics: org.joinTopics } : {}),
    createdAt: org.createdAt.toISOString(),
  };
}
