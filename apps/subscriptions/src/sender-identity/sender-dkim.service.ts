import { Injectable } from '@nestjs/common';
import { administers, isAdmin, worksFor, type Principal, type SenderDkimView } from '@clarion/contracts';
import { Conflict, Forbidden, NotFound } from '@clarion/errors';
import { sealDkimPrivateKey, SecretSealer } from '@clarion/security';
import type { DirectoryRequest } from '../common/requests';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { dkimView, newDkimKeyPair, newSelector } from './dkim-keys';
import { OrgKeysRepository } from './org-keys.repository';
import { SenderIdentityService } from './sender-identity.service';

/**
 * An organisation's DKIM signing (docs/decisions/0030). This service makes
 * the key pair, seals the private key to delivery's key at once and keeps
 * only that and the public key; admins get the DNS record to publish. Making
 * a key again rotates it: a new selector, the old key kept as `previous`
 * (public part only) so its record can stay published a while.
 */
@Injectable()
export class SenderDkimService {
  constructor(
    private readonly keys: OrgKeysRepository,
    private readonly organisations: OrganisationRepository,
    private readonly identities: SenderIdentityService,
    private readonly sealer: SecretSealer,
  ) {}

  async get({ actor, orgId }: DirectoryRequest<'getSenderDkim'>): Promise<SenderDkimView> {
    await this.assertMayManage(actor, orgId);
    return dkimView(orgId, (await this.keys.findForOrg(orgId))?.dkim);
  }

  async create({ actor, orgId, input }: DirectoryRequest<'createSenderDkim'>): Promise<SenderDkimView> {
    await this.assertMayManage(actor, orgId);
    const before = (await this.identities.ensureKeys(orgId)).dkim;
    const now = new Date();
    const { publicKey, privateKeyPem } = newDkimKeyPair();
    const current = { selector: newSelector(now), publicKey, createdAt: now, privateKeySealed: sealDkimPrivateKey(this.sealer, orgId, privateKeyPem) };
    // A key for another domain is a fresh start: the old domain's record says nothing about the new one.
    const previous = before && before.domain === input.domain ? { selector: before.current.selector, publicKey: before.current.publicKey, createdAt: before.current.createdAt } : undefined;
    const dkim = { domain: input.domain, current, ...(previous ? { previous } : {}) };
    if (!(await this.keys.replaceDkim(orgId, before, dkim))) throw new Conflict('the DKIM key changed meanwhile; read it and try again');
    return dkimView(orgId, dkim);
  }

  /** Stops signing; the records may be removed from DNS once mail already signed has been read. */
  async clear({ actor, orgId }: DirectoryRequest<'clearSenderDkim'>): Promise<SenderDkimView> {
    await this.assertMayManage(actor, orgId);
    const before = (await this.keys.findForOrg(orgId))?.dkim;
    if (before) await this.keys.replaceDkim(orgId, before, undefined);
    return dkimView(orgId, undefined);
  }

  /** As for SMTP settings: its admins and the network admin; 404 to outsiders, 403 to its editors. */
  private async assertMayManage(actor: Principal, orgId: string): Promise<void> {
    if (administers(actor, orgId)) return;
    if (worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins may change how its email is signed");
    if (isAdmin(actor) && (await this.organisations.exists(orgId))) return;
    throw new NotFound('organisation not found', 'orgId');
  }
}
