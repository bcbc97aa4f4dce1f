import { Injectable } from '@nestjs/common';
import { administers, isAdmin, worksFor, type Principal, type SenderSmtpView } from '@clarion/contracts';
import { Forbidden, NotFound } from '@clarion/errors';
import type { DirectoryRequest } from '../common/requests';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { OrgKeysRepository } from './org-keys.repository';
import { SenderIdentityService } from './sender-identity.service';
import { toSenderSmtpView } from './smtp-settings';

/**
 * An organisation's own SMTP server: delivery sends its email there, from its
 * address, instead of through the network's. The password arrives sealed to
 * delivery's key (the gateway seals it) and is kept so; answers never carry
 * it. Delivery caches sender identities, so a change reaches the batches sent
 * after its cache entry expires (SENDER_IDENTITY_TTL_MS).
 */
@Injectable()
export class SenderSmtpService {
  constructor(
    private readonly keys: OrgKeysRepository,
    private readonly organisations: OrganisationRepository,
    private readonly identities: SenderIdentityService,
  ) {}

  async get({ actor, orgId }: DirectoryRequest<'getSenderSmtp'>): Promise<SenderSmtpView> {
    await this.assertMayManage(actor, orgId);
    const keys = await this.keys.findForOrg(orgId);
    return toSenderSmtpView(orgId, keys?.smtp);
  }

  async set({ actor, orgId, input }: DirectoryRequest<'setSenderSmtp'>): Promise<SenderSmtpView> {
    await this.assertMayManage(actor, orgId);
    const settings = { url: input.url, from: input.from, ...(input.passwordSealed ? { passwordSealed: input.passwordSealed } : {}) };
    // The settings live with the organisation's keys, which older organisations may not have yet.
    await this.identities.ensureKeys(orgId);
    if (!(await this.keys.setSmtp(orgId, settings))) throw new NotFound('organisation not found', 'orgId');
    return toSenderSmtpView(orgId, settings);
  }

  /** Back to the network's SMTP server; clearing settings that were never set is fine too. */
  async clear({ actor, orgId }: DirectoryRequest<'clearSenderSmtp'>): Promise<SenderSmtpView> {
    await this.assertMayManage(actor, orgId);
    await this.keys.clearSmtp(orgId);
    return toSenderSmtpView(orgId, undefined);
  }

  /**
   * The organisation's admins and the network admin. Someone outside the
   * organisation gets 404, so its existence does not leak; its editors get 403.
   */
  private async assertMayManage(actor: Principal, orgId: string): Promise<void> {
    if (administers(actor, orgId)) return;
    if (worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins may change how its email is sent");
    if (isAdmin(actor) && (await this.organisations.exists(orgId))) return;
    throw new NotFound('organisation not found', 'orgId');
  }
}
