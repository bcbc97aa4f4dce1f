import { Injectable, Logger } from '@nestjs/common';
import { channelNames, channels, codeOptInChannels, type ChannelName } from '@clarion/channels';
import { eventSubjects, isAdmin, type ErasureView, type SupporterDataView } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { EventPublisher } from '@clarion/messaging';
import { BusErasure } from './bus-erasure';
import { CodeOptIn } from './code-opt-in';
import { ConsentRepository } from './consent.repository';
import { ErasureRepository } from './erasure.repository';
import type { ErasureRequester } from './erasure.schema';
import { PublicOrganisationService } from './public-organisation.service';
import { assertMayManageSupporters } from './supporter-access';
import { SupporterLinks } from './supporter-links';
import { SupporterRepository } from './supporter.repository';
import type { SupporterRequest } from '../common/requests';
import type { SupporterRecord } from './supporter.schema';
import { toConsentRecordView } from './supporter.view';

type Named = SupporterRequest<'exportSupporter'> | SupporterRequest<'eraseSupporter'>;

interface Found {
  orgId: string;
  supporter: SupporterRecord;
  requestedBy: ErasureRequester;
  tokenId?: string;
}

/**
 * A supporter's rights over what their organisation holds on them: a copy of
 * it (GDPR Art. 15, in a machine-readable form for Art. 20) and its erasure
 * (Art. 17), asked by the organisation's admin or by the supporter through
 * the preferences link in every message (docs/decisions/0024).
 */
@Injectable()
export class SupporterRightsService {
  private readonly logger = new Logger(SupporterRightsService.name);

  constructor(
    private readonly organisations: PublicOrganisationService,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
    private readonly links: SupporterLinks,
    private readonly erasures: ErasureRepository,
    private readonly bus: BusErasure,
    private readonly events: EventPublisher,
    private readonly codes: CodeOptIn,
  ) {}

  /** Profile, channel subscriptions and consent history; the gateway adds delivery's records. */
  async exportSupporter(request: SupporterRequest<'exportSupporter'>): Promise<SupporterDataView> {
    const { orgId, supporter } = await this.find(request);
    const org = await this.organisations.findById(orgId);
    const supporterId = supporter._id.toHexString();
    const email = supporter.contacts?.email;
    const push = supporter.contacts?.push;
    const sms = supporter.contacts?.sms;
    return {
      organisation: { id: orgId, name: org.name, slug: org.slug },
      profile: {
        id: supporterId,
        language: supporter.language,
        topics: supporter.topics ?? [],
        createdAt: supporter.createdAt.toISOString(),
        updatedAt: supporter.updatedAt.toISOString(),
      },
      subscriptions: {
        ...(email?.address ? { email: { address: email.address, state: email.state } } : {}),
        ...(push?.address ? { push: { ...channels.push.sendable(push.address), state: push.state } } : {}),
        ...(sms?.address ? { sms: { number: sms.address, state: sms.state } } : {}),
      },
      consents: (await this.consents.listForSupporters(orgId, [supporterId])).map(toConsentRecordView),
    };
  }

  /**
   * In this order, so that a failure part way leaves something to try again:
   * no channel active (no new batch names them), the bus's copies erased, the
   * ledger's pseudonymisation queued for delivery, then the documents deleted
   * and the erasure recorded without anything that names the person.
   */
  async eraseSupporter(request: SupporterRequest<'eraseSupporter'>): Promise<ErasureView> {
    const { orgId, supporter, requestedBy, tokenId } = await this.find(request);
    const supporterId = supporter._id.toHexString();
    await this.supporters.silence(orgId, supporterId);
    const held = contactsHeld(supporter);
    const onBus = await this.bus.erase({ supporterId, identifiers: held.flatMap(([, identifiers]) => identifiers) });
    const eventId = `erased:${supporterId}`;
    await this.events.publish(eventSubjects.supporterErased, { eventId, occurredAt: new Date().toISOString(), orgId, supporterId }, { msgId: eventId });
    const consentRecords = await this.consents.eraseForSupporter(orgId, supporterId);
    for (const channel of codeOptInChannels) {
      const address = supporter.contacts?.[channel]?.address;
      if (address !== undefined) await this.codes.forget(orgId, channel, (channels[channel].key.of as (contact: typeof address) => string)(address));
    }
    await this.supporters.erase(orgId, supporterId);
    const audit = await this.erasures.record({ orgId, at: new Date(), requestedBy, ...(tokenId ? { tokenId } : {}), channels: held.map(([channel]) => channel), consentRecords, ...onBus });
    const erasureId = audit._id.toHexString();
    this.logger.log({ orgId, erasureId, requestedBy, ...onBus }, 'supporter erased');
    return { erasureId, erasedAt: audit.at.toISOString() };
  }

  /**
   * The supporter a request names: through a signed preferences link (the
   * supporter themselves), or by id for the organisation's admins and network
   * admins (anyone else: the organisation is not found). A link of a
   * supporter no longer on the list finds nothing.
   */
  private async find(request: Named): Promise<Found> {
    if ('token' in request) {
      const { orgId, supporterId } = this.links.preferences(request.token);
      const supporter = await this.supporters.findInOrg(orgId, supporterId);
      if (!supporter) throw new NotFound('supporter not found', 'token');
      return { orgId, supporter, requestedBy: 'supporter' };
    }
    const { actor, orgId, supporterId } = request;
    assertMayManageSupporters(actor, orgId);
    await this.organisations.findById(orgId);
    const supporter = await this.supporters.findInOrg(orgId, supporterId);
    if (!supporter) throw new NotFound('supporter not found', 'supporterId');
    return { orgId, supporter, requestedBy: isAdmin(actor) ? 'network-admin' : 'organisation-admin', tokenId: actor.tokenId };
  }
}

/** Each channel the supporter has a contact on, with the strings in it that name them. */
function contactsHeld(supporter: SupporterRecord): [ChannelName, string[]][] {
  return channelNames.flatMap((name) => {
    const address = supporter.contacts?.[name]?.address;
    return address === undefined ? [] : [[name, (channels[name].identifiers as (contact: typeof address) => string[])(address)] as [ChannelName, string[]]];
  });
}
