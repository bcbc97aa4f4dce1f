import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from '@clarion/config';
import {
  confirmCodeInput,
  joinInput,
  pushRenewalInput,
  slug as slugSchema,
  supporterRpc,
  type PublicOrganisationView,
} from '@clarion/contracts';
import { DomainError, NotFound, parseInput } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';
import { GATEWAY_CONFIG } from '../gateway-config';
import { organisationBrand } from './pages/brand';
import { codePage, joinedPage, joinPage, type CodeFormValues, type JoinFormValues } from './pages/join-page';
import { organisationIcon, webAppManifest, type WebAppManifest } from './web-app-manifest';
import { confirmedPage, confirmFailedPage } from './pages/supporter-pages';
import type { PublicAnswer } from './page-response';
import { consentContext, formList, formText, languageOf, publicUrl, wantsJson } from './public-request';
import { offeredChannels, takeContacts } from './contact-intake';
import { channels, codeOptInChannels } from '@clarion/channels';

/** An organisation's join page, the join itself (form or the push script's JSON), and the email confirmation. */
@Injectable()
export class JoinService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async form(slug: string, req: Request): Promise<PublicAnswer> {
    return { page: joinPage(languageOf(req), await this.organisation(slug), {}, undefined, this.offers()) };
  }

  async join(slug: string, req: Request): Promise<PublicAnswer> {
    assertSlug(slug);
    const consent = consentContext(req, publicUrl(this.config.PUBLIC_BASE_URL, `/join/${slug}`));
    if (wantsJson(req)) {
      // The push script and API clients: a bad field or unknown slug comes back as the JSON error body.
      const input = parseInput(joinInput, takeContacts(req.body, this.config));
      return { json: await this.rpc.request(supporterRpc.join, { slug, input, consent }), status: 201 };
    }
    const org = await this.organisation(slug);
    const values = formValues(req.body);
    const lang = languageOf(req, (req.body as Record<string, unknown> | undefined)?.ui);
    try {
      const input = parseInput(joinInput, takeContacts(values, this.config));
      await this.rpc.request(supporterRpc.join, { slug, input, consent });
      const byCode = codeOptInChannels.find((channel) => input[channel] !== undefined);
      if (byCode) return { page: codePage(lang, org, { channel: byCode, contact: String(input[byCode]) }, undefined, { email: !!input.email, push: !!input.push }) };
      return { page: joinedPage(lang, org, { email: !!input.email, push: !!input.push }) };
    } catch (error) {
      // The form again, with what was typed and the problem named next to its field.
      if (error instanceof DomainError && error.statusCode === 400) return { page: joinPage(lang, org, values, error.toBody(), this.offers()) };
      throw error;
    }
  }

  /**
   * The code texted on a code channel (SMS), typed back: JSON `{ channel, contact, code }` or the code form.
   * The contact is taken in as the join took it (a national number in the default region). A refusal reads
   * the same whatever the contact's state; five wrong codes use a code up.
   */
  async confirmCode(slug: string, req: Request): Promise<PublicAnswer> {
    assertSlug(slug);
    const consent = consentContext(req, publicUrl(this.config.PUBLIC_BASE_URL, `/join/${slug}/code`));
    const confirm = async (body: unknown) => {
      const input = parseInput(confirmCodeInput, body);
      const taken = takeContacts({ [input.channel]: input.contact }, this.config)[input.channel];
      return this.rpc.request(supporterRpc.confirmCode, { slug, ...input, contact: String(taken), consent });
    };
    if (wantsJson(req)) return { json: await confirm(req.body) };
    const org = await this.organisation(slug);
    const fields = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
    const values: CodeFormValues = { channel: formText(fields.channel) ?? '', contact: formText(fields.contact) ?? '', code: formText(fields.code) };
    const lang = languageOf(req, fields.ui);
    try {
      const { org: confirmedOrg } = await confirm(values);
      return { page: confirmedPage(lang, organisationBrand(confirmedOrg), 'codeConfirmed.text') };
    } catch (error) {
      if (error instanceof DomainError && error.statusCode === 400) return { page: codePage(lang, org, { ...values, code: undefined }, error.toBody()) };
      throw error;
    }
  }

  /** The channels beside email and push the join page offers on this installation. */
  private offers(): { sms: boolean } {
    return { sms: offeredChannels(this.config).includes(channels.sms.name) };
  }

  async confirm(token: string, req: Request): Promise<PublicAnswer> {
    const consent = consentContext(req, publicUrl(this.config.PUBLIC_BASE_URL, '/join/confirm'));
    try {
      const { org } = await this.rpc.request(supporterRpc.confirmEmail, { token, consent });
      return { page: confirmedPage(languageOf(req), organisationBrand(org)) };
    } catch (error) {
      if (error instanceof DomainError && (error.statusCode === 400 || error.statusCode === 404)) return { page: confirmFailedPage(languageOf(req), error.statusCode) };
      throw error;
    }
  }

  /** The organisation's web app manifest: its name, colours and icon, scoped to its own pages and service worker. */
  async manifest(slug: string): Promise<WebAppManifest> {
    return webAppManifest(await this.organisation(slug));
  }

  /** The manifest's icon when the organisation has no logo: its initial on its colour. */
  async icon(slug: string): Promise<string> {
    return organisationIcon(await this.organisation(slug));
  }

  /** JSON `{ old, new }` from the service worker; 404 unless `old` is exactly the subscription on the list. */
  async renewPush(slug: string, req: Request): Promise<PublicAnswer> {
    assertSlug(slug);
    const input = parseInput(pushRenewalInput, req.body);
    return { json: await this.rpc.request(supporterRpc.renewPush, { slug, ...input }) };
  }

  private async organisation(slug: string): Promise<PublicOrganisationView> {
    assertSlug(slug);
    return this.rpc.request(supporterRpc.publicOrganisation, { slug });
  }
}

/** A path that cannot be an organisation's is a page that does not exist; nobody needs asking. */
function assertSlug(slug: string): void {
  if (!slugSchema.safeParse(slug).success) throw new NotFound('no such organisation');
}

function formValues(body: unknown): JoinFormValues {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  return { email: formText(fields.email), sms: formText(fields.sms), language: formText(fields.language), topics: formList(fields.topics) };
}
