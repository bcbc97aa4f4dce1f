import { Injectable } from '@nestjs/common';
import type { PublicRelayView } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { AlertSnapshotRepository } from '../alert-snapshots/alert-snapshot.repository';
import type { RelayRequest } from '../common/requests';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { RelayRepository } from '../relays/relay.repository';

/**
 * The alert as one organisation relays it, for its landing page: the
 * organisation's look and intro, the alert's text in the asked language (or
 * its primary one), and the status, so the page can say it was withdrawn. No supporter data.
 */
@Injectable()
export class PublicRelayService {
  constructor(
    private readonly relays: RelayRepository,
    private readonly snapshots: AlertSnapshotRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  async view({ relayId, language }: RelayRequest<'publicView'>): Promise<PublicRelayView> {
    const relay = await this.relays.findForPublicPage(relayId);
    const alert = relay && (await this.snapshots.find(relay.alertId));
    const org = relay && (await this.organisations.findById(relay.orgId));
    if (!relay || !alert || !org) throw new NotFound('relay not found', 'relayId');
    const shown = language && alert.texts[language] ? language : alert.primaryLanguage;
    const text = alert.texts[shown];
    const { colour, logoUrl } = org.branding;
    return {
      relayId,
      status: relay.status,
      org: { name: org.name, slug: org.slug, colour, ...(logoUrl ? { logoUrl } : {}) },
      language: shown,
      title: text.title,
      bodyHtml: text.bodyHtml,
      ctaLabel: text.ctaLabel,
      ...(relay.intro ? { intro: relay.intro } : {}),
      urgency: alert.urgency,
      ...(alert.expiresAt ? { expiresAt: alert.expiresAt } : {}),
    };
  }
}
