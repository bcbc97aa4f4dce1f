import { Injectable } from '@nestjs/common';
import { worksFor, type RelayContent } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import { AlertSnapshotRepository } from '../alert-snapshots/alert-snapshot.repository';
import { relayContent } from './relay-content';
import { OrganisationRepository } from '../organisations/organisation.repository';
import type { RelayRequest } from '../common/requests';
import { RelayRepository } from './relay.repository';

/**
 * What an organisation's relay would send, built by the same function as the
 * fan-out's, with the intro and call to action being edited in place of the
 * stored ones (stored nowhere). Delivery renders it; no supporter is read.
 */
@Injectable()
export class RelayPreviewService {
  constructor(
    private readonly relays: RelayRepository,
    private readonly snapshots: AlertSnapshotRepository,
    private readonly organisations: OrganisationRepository,
  ) {}

  async content({ actor, orgId, relayId, input }: RelayRequest<'previewContent'>): Promise<RelayContent> {
    if (!worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins and editors may preview its relays");
    const relay = await this.relays.findInOrg(orgId, relayId);
    if (!relay) throw new NotFound('relay not found', 'relayId');
    const [alert, org] = await Promise.all([this.snapshots.find(relay.alertId), this.organisations.findById(orgId)]);
    if (!alert || !org) throw new NotFound('relay not found', 'relayId');
    const intro = input.intro !== undefined ? input.intro : relay.intro;
    const ctaUrl = input.ctaUrl ?? relay.ctaUrl;
    return relayContent({ relayId, coalitionId: relay.coalitionId, orgId, channels: relay.channels, ...(intro ? { intro } : {}), ...(ctaUrl ? { ctaUrl } : {}) }, alert, org);
  }
}
