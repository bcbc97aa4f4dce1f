import { Injectable } from '@nestjs/common';
import { channels } from '@clarion/channels';
import type { PreferencesView, UnsubscribeResultView } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { ConsentRepository } from './consent.repository';
import { PublicOrganisationService } from './public-organisation.service';
import { SupporterLinks } from './supporter-links';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from '../common/requests';
import { SupporterFacts } from './supporter-facts';
import type { SupporterRecord } from './supporter.schema';
import { channelStatesOf } from './supporter.view';

/** What a supporter does through the links in every message: leave a channel in one click, or change language and topics. */
@Injectable()
export class PreferencesService {
  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
    private readonly links: SupporterLinks,
    private readonly facts: SupporterFacts,
  ) {}

  /**
   * Idempotent: a second click changes nothing and records nothing. Leaving
   * wins over a bounce (the registry's `unsubscribe` of each channel): it is the person's own, lasting choice.
   */
  async unsubscribe({ token, consent, oneClick }: SupporterRequest<'unsubscribe'>): Promise<UnsubscribeResultView> {
    const { supporterId, orgId, channel } = this.links.unsubscribing(token);
    const org = await this.organisations.findById(orgId);
    const left = await this.supporters.move(orgId, supporterId, channel, channels[channel].unsubscribe);
    // RFC 8058's one-click (a mail client's POST) and the page's button are told apart in the record.
    const method = oneClick ? 'one-click' : 'unsubscribe-link';
    if (left) {
      const at = new Date();
      await this.consents.append([{ supporterId, orgId, channel, action: 'withdrawn', method, at, ...consent }]);
      await this.facts.consentChanged(`${supporterId}:${channel}:${at.getTime()}`, { orgId, supporterId, channels: [channel], action: 'withdrawn' });
    }
    // Someone who left by email is not brought back by a confirmation link from before.
    if (channel === 'email') await this.supporters.dropJoinAttempt(orgId, supporterId);
    return { channel, orgName: org.name };
  }

  async get({ token }: SupporterRequest<'getPreferences'>): Promise<PreferencesView> {
    const { supporterId, orgId } = this.links.preferences(token);
    return this.view(await this.supporters.findInOrg(orgId, supporterId));
  }

  /** Language and topics are not consent, so no consent record; channels are left through their unsubscribe links. */
  async update({ token, input }: SupporterRequest<'updatePreferences'>): Promise<PreferencesView> {
    const { supporterId, orgId } = this.links.preferences(token);
    return this.view(await this.supporters.updatePreferences(orgId, supporterId, input));
  }

  private async view(supporter: SupporterRecord | null): Promise<PreferencesView> {
    if (!supporter) throw new NotFound('supporter not found', 'token');
    return {
      language: supporter.language,
      // Imports now insert whole documents; records from the earlier bulk upserts lack the field on FerretDB. No topics means every topic.
      topics: supporter.topics ?? [],
      ...channelStatesOf(supporter),
      org: await this.organisations.view(await this.organisations.findById(supporter.orgId)),
    };
  }
}
