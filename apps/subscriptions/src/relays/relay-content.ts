import type { AlertSnapshot, EventPayload, eventSubjects, RelayContent } from '@clarion/contracts';
import type { OrganisationRecord } from '../organisations/organisation.schema';

export type RelayApproved = EventPayload<typeof eventSubjects.relayApproved>;

/**
 * Everything delivery needs to render this relay without asking anyone,
 * built once per fan-out and carried by every batch: the alert's newest
 * version, in the organisation's name, with its own intro and call to action if it gave them.
 */
export function relayContent(
  relay: Pick<RelayApproved, 'relayId' | 'coalitionId' | 'orgId' | 'ctaUrl' | 'intro' | 'channels'>,
  alert: AlertSnapshot,
  org: OrganisationRecord,
): RelayContent {
  const { branding } = org;
  return {
    relayId: relay.relayId,
    alertId: alert.alertId,
    alertVersion: alert.version,
    coalitionId: relay.coalitionId,
    orgId: relay.orgId,
    org: { name: org.name, slug: org.slug, senderName: branding.senderName, colour: branding.colour, ...(branding.logoUrl ? { logoUrl: branding.logoUrl } : {}) },
    primaryLanguage: alert.primaryLanguage,
    texts: alert.texts,
    ctaUrl: relay.ctaUrl ?? alert.ctaUrl,
    ...(relay.intro ? { intro: relay.intro } : {}),
    urgency: alert.urgency,
    ...(alert.expiresAt ? { expiresAt: alert.expiresAt } : {}),
    channels: relay.channels,
    publishedAt: alert.publishedAt,
  };
}
