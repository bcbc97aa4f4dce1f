import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewayConfig } from '@clarion/config';
import { deliveryChannelSchema, preferencesInput, supporterRpc, type PreferencesView } from '@clarion/contracts';
import { DomainError, NotFound, parseInput } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';
import { GATEWAY_CONFIG } from '../gateway-config';
import { NEUTRAL_BRAND, organisationBrand, type Brand } from './pages/brand';
import { eraseAskPage, erasedPage, preferencesPage, unsubscribeAskPage, unsubscribedPage, type PreferencesForm } from './pages/supporter-pages';
import { eraseSupporter, exportFileName, exportSupporter } from '../supporters/supporter-rights';
import type { PublicAnswer } from './page-response';
import { consentContext, formList, formText, publicUrl, wantsJson } from './public-request';
import { SignedLinks, type PreferencesClaims } from './signed-links';

/** Channel states in which a supporter still gets messages, and so is offered an unsubscribe link. */
const RECEIVING = new Set(['active', 'pending']);

/** The pages behind the links in every message: unsubscribe (RFC 8058 one-click too) and preferences. */
@Injectable()
export class SupporterLinksService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly links: SignedLinks,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** Opening the link only asks: mail scanners open links, and must not unsubscribe anyone. */
  async askUnsubscribe(token: string): Promise<PublicAnswer> {
    const claims = this.unsubscribeClaims(token);
    return { page: unsubscribeAskPage(await this.brandFor(claims), claims.channel, token) };
  }

  /** The page's button, or a mail client's one-click POST (`List-Unsubscribe=One-Click`); no cookie or script needed. */
  async unsubscribe(token: string, req: Request): Promise<PublicAnswer> {
    const claims = this.unsubscribeClaims(token);
    const oneClick = (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click';
    const source = oneClick ? 'email List-Unsubscribe-Post (RFC 8058)' : publicUrl(this.config.PUBLIC_BASE_URL, '/u');
    const result = await this.rpc.request(supporterRpc.unsubscribe, { token, consent: consentContext(req, source), oneClick });
    if (wantsJson(req)) return { json: result };
    return { page: unsubscribedPage(await this.brandFor(claims), claims.channel) };
  }

  async preferences(token: string): Promise<PublicAnswer> {
    const claims = this.preferencesClaims(token);
    return { page: preferencesPage(this.preferencesForm(token, claims, await this.current(token))) };
  }

  async savePreferences(token: string, req: Request): Promise<PublicAnswer> {
    const claims = this.preferencesClaims(token);
    const json = wantsJson(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A form always sends its topics: none ticked means none, not "unchanged".
    const candidate = json ? body : { language: formText(body.language), topics: formList(body.topics) };
    let saved: PreferencesView;
    try {
      const input = parseInput(preferencesInput, candidate);
      saved = await this.rpc.request(supporterRpc.updatePreferences, { token, input });
    } catch (error) {
      if (json || !(error instanceof DomainError) || error.statusCode !== 400) throw error;
      return { page: preferencesPage({ ...this.preferencesForm(token, claims, await this.current(token)), problem: error.toBody() }) };
    }
    if (json) return { json: saved };
    return { page: preferencesPage({ ...this.preferencesForm(token, claims, saved), saved: true }) };
  }

  /** The supporter's own copy of everything held on them (GDPR Art. 15 and 20), as a JSON file. */
  async exportData(token: string): Promise<PublicAnswer> {
    this.preferencesClaims(token);
    const data = await exportSupporter(this.rpc, { token });
    return { json: data, download: exportFileName(data) };
  }

  /** Opening the link only asks, as for unsubscribing. */
  async askErase(token: string): Promise<PublicAnswer> {
    this.preferencesClaims(token);
    return { page: eraseAskPage(organisationBrand((await this.current(token)).org), token) };
  }

  /** GDPR Art. 17 from the supporter's own link: the brand is read first, as nothing of them is left after. */
  async erase(token: string): Promise<PublicAnswer> {
    this.preferencesClaims(token);
    const brand = organisationBrand((await this.current(token)).org);
    const { erasureId } = await eraseSupporter(this.rpc, { token });
    return { page: erasedPage(brand, erasureId) };
  }

  private preferencesForm(token: string, claims: PreferencesClaims, current: PreferencesView): PreferencesForm {
    return {
      brand: organisationBrand(current.org),
      token,
      languages: current.org.languages,
      language: current.language,
      topics: current.topics,
      offeredTopics: current.org.topics,
      channels: deliveryChannelSchema.options
        .filter((channel) => RECEIVING.has(current[`${channel}State`] ?? ''))
        .map((channel) => ({ channel, unsubscribePath: this.links.unsubscribePath({ ...claims, channel }) })),
    };
  }

  private async current(token: string): Promise<PreferencesView> {
    return this.rpc.request(supporterRpc.getPreferences, { token });
  }

  /**
   * An unsubscribe link names the supporter and organisation but not how the
   * organisation looks; its preferences answer does. Branding is a nicety: a
   * page in Clarion's look beats no page.
   */
  private async brandFor(claims: PreferencesClaims): Promise<Brand> {
    try {
      return organisationBrand((await this.current(this.links.preferencesToken(claims))).org);
    } catch {
      return NEUTRAL_BRAND;
    }
  }

  private unsubscribeClaims(token: string) {
    const claims = this.links.unsubscribe(token);
    if (!claims) throw new NotFound('no such unsubscribe link');
    return claims;
  }

  private preferencesClaims(token: string) {
    const claims = this.links.preferences(token);
    if (!claims) throw new NotFound('no such preferences link');
    return claims;
  }
}
