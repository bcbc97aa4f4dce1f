import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import webpush from 'web-push';
import type { SubscriptionsConfig } from '@clarion/config';
import type { SenderIdentityView } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { sealVapidPrivateKey, SecretSealer } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import type { SupporterRequest } from '../common/requests';
import { OrganisationCreated } from '../organisations/organisation-created';
import { OrganisationRepository } from '../organisations/organisation.repository';
import { OrgKeysRepository } from './org-keys.repository';
import type { OrgKeysRecord } from './org-keys.schema';

/** Push services want a way to reach the sender (RFC 8292): an https URL or a mailto:. */
const FALLBACK_VAPID_SUBJECT = 'mailto:no-reply@clarion.local';

/**
 * How to send in an organisation's name: its VAPID keys, sender name and own SMTP server, if it set one
 * (sender-smtp.service.ts). The secrets in it are sealed to delivery's key: this service makes the VAPID
 * private key, seals it at once and keeps only the sealed form; it never sees the SMTP password.
 */
@Injectable()
export class SenderIdentityService implements OnModuleInit {
  private readonly vapidSubject: string;

  constructor(
    private readonly keys: OrgKeysRepository,
    private readonly organisations: OrganisationRepository,
    private readonly sealer: SecretSealer,
    private readonly created: OrganisationCreated,
    @Inject(SERVICE_CONFIG) config: SubscriptionsConfig,
  ) {
    this.vapidSubject = new URL(config.PUBLIC_BASE_URL).protocol === 'https:' ? config.PUBLIC_BASE_URL : FALLBACK_VAPID_SUBJECT;
  }

  onModuleInit(): void {
    this.created.listen((orgId) => this.ensureKeys(orgId));
  }

  /**
   * The organisation's key pair, made when the organisation is created. Made
   * here too if missing: organisations created before keys existed, or whose
   * key write failed after the organisation was stored (no transactions).
   */
  async ensureKeys(orgId: string): Promise<OrgKeysRecord> {
    const existing = await this.keys.findForOrg(orgId);
    if (existing) return existing;
    const { publicKey, privateKey } = webpush.generateVAPIDKeys();
    return this.keys.keepFirst({ orgId, vapidPublicKey: publicKey, vapidPrivateKeySealed: sealVapidPrivateKey(this.sealer, orgId, privateKey) });
  }

  async identity({ orgId }: SupporterRequest<'senderIdentity'>): Promise<SenderIdentityView> {
    const org = await this.organisations.findById(orgId);
    if (!org) throw new NotFound('organisation not found', 'orgId');
    const keys = await this.ensureKeys(orgId);
    return {
      orgId,
      senderName: org.branding.senderName,
      vapid: { publicKey: keys.vapidPublicKey, privateKeySealed: keys.vapidPrivateKeySealed, subject: this.vapidSubject },
      ...(keys.smtp ? { smtp: keys.smtp } : {}),
      ...(keys.dkim ? { dkim: { domain: keys.dkim.domain, selector: keys.dkim.current.selector, privateKeySealed: keys.dkim.current.privateKeySealed } } : {}),
    };
  }
}
