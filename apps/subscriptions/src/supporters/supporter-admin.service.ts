import { Injectable } from '@nestjs/common';
import type { ConsentRecordView, ExportPageView, SupporterCountsView, SupporterSearchView } from '@clarion/contracts';
import { ConsentRepository } from './consent.repository';
import { PublicOrganisationService } from './public-organisation.service';
import { assertMayManageSupporters, assertMaySeeSupporterCounts } from './supporter-access';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from '../common/requests';
import { toConsentRecordView, toSupporterView } from './supporter.view';

/** What an organisation's own people see of its list: the export (page by page) and the counts. */
@Injectable()
export class SupporterAdminService {
  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
  ) {}

  /** Each supporter with their whole consent history: what an organisation needs to take its list elsewhere. */
  async exportPage({ actor, orgId, after, limit }: SupporterRequest<'exportPage'>): Promise<ExportPageView> {
    assertMayManageSupporters(actor, orgId);
    await this.organisations.findById(orgId);
    // One more than asked tells whether another page follows.
    const found = await this.supporters.page(orgId, after, limit + 1);
    const page = found.slice(0, limit);
    const ids = page.map((supporter) => supporter._id.toHexString());
    const histories = new Map<string, ConsentRecordView[]>(ids.map((id) => [id, []]));
    for (const consent of await this.consents.listForSupporters(orgId, ids)) histories.get(consent.supporterId)?.push(toConsentRecordView(consent));
    return {
      supporters: page.map((supporter) => ({
        ...toSupporterView(supporter),
        // The subscription as the browser gave it, so the organisation can take its push audience elsewhere (import takes it back).
        ...(supporter.push ? { push: { endpoint: supporter.push.endpoint, keys: supporter.push.keys } } : {}),
        consents: histories.get(supporter._id.toHexString()) ?? [],
      })),
      ...(found.length > limit ? { next: ids[ids.length - 1] } : {}),
    };
  }

  /** Personal data, like the export: the organisation's admins (and network admins) only; anyone else learns nothing. */
  async search({ actor, orgId, email }: SupporterRequest<'search'>): Promise<SupporterSearchView> {
    assertMayManageSupporters(actor, orgId);
    await this.organisations.findById(orgId);
    const found = await this.supporters.findByEmail(orgId, email);
    return { supporters: found ? [toSupporterView(found)] : [] };
  }

  async counts({ actor, orgId }: SupporterRequest<'counts'>): Promise<SupporterCountsView> {
    assertMaySeeSupporterCounts(actor, orgId);
    await this.organisations.findById(orgId);
    const { total, email, push } = await this.supporters.countStates(orgId);
    return {
      total,
      email: { pending: email.pending ?? 0, active: email.active ?? 0, unsubscribed: email.unsubscribed ?? 0, suppressed: email.suppressed ?? 0 },
      push: { active: push.active ?? 0, unsubscribed: push.unsubscribed ?? 0, gone: push.gone ?? 0 },
    };
  }
}
