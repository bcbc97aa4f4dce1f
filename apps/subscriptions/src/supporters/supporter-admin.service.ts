import { Injectable } from '@nestjs/common';
import { channelNames, channels, normalisePhoneNumber, type PhoneRules } from '@clarion/channels';
import { Invalid } from '@clarion/errors';
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
        ...(supporter.contacts?.push?.address ? { push: channels.push.sendable(supporter.contacts.push.address) } : {}),
        ...(supporter.contacts?.sms?.address ? { sms: supporter.contacts.sms.address } : {}),
        consents: histories.get(supporter._id.toHexString()) ?? [],
      })),
      ...(found.length > limit ? { next: ids[ids.length - 1] } : {}),
    };
  }

  /** Personal data, like the export: the organisation's admins (and network admins) only; anyone else learns nothing. */
  async search({ actor, orgId, email, phone, sms }: SupporterRequest<'search'>): Promise<SupporterSearchView> {
    assertMayManageSupporters(actor, orgId);
    await this.organisations.findById(orgId);
    if ((email === undefined) === (phone === undefined)) throw new Invalid('email or phone is required, not both', email === undefined ? 'email' : 'phone');
    const found = phone === undefined ? await this.supporters.findByKey(orgId, 'email', email!) : await this.supporters.findByKey(orgId, 'sms', searchedNumber(phone, sms));
    return { supporters: found ? [toSupporterView(found)] : [] };
  }

  async counts({ actor, orgId }: SupporterRequest<'counts'>): Promise<SupporterCountsView> {
    assertMaySeeSupporterCounts(actor, orgId);
    await this.organisations.findById(orgId);
    const { total, states } = await this.supporters.countStates(orgId);
    // Every state of every channel, counted or not.
    const byChannel = channelNames.map((name) => {
      const counted: Partial<Record<string, number>> = states[name];
      return [name, Object.fromEntries(channels[name].states.map((state) => [state, counted[state] ?? 0]))];
    });
    return { total, ...Object.fromEntries(byChannel) } as SupporterCountsView;
  }
}

/** A number searched for, in E.164 as numbers are stored, read by the installation's rules; there is none to find where SMS is not offered. */
function searchedNumber(phone: string, sms: PhoneRules | undefined): string {
  if (!sms) throw new Invalid('phone cannot be searched: this network does not offer SMS', 'phone');
  return normalisePhoneNumber(phone, sms);
}
