import { Injectable, Logger } from '@nestjs/common';
import { deliveryRpc, objectId, relayRpc, type PublicRelayView } from '@clarion/contracts';
import { DomainError, NotFound } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';
import { alertPage, type AlertPageState } from './pages/alert-page';
import type { PublicAnswer } from './page-response';
import { SignedLinks } from './signed-links';

/** A person is waiting on this redirect: counting the click may not hold them longer than this. */
const CLICK_TIMEOUT_MS = 1_500;

/** The alert's landing page (`/a/:relayId`) and the counted call-to-action redirect (`/c/:token`). */
@Injectable()
export class AlertLandingService {
  private readonly logger = new Logger('Clicks');

  constructor(
    private readonly rpc: RpcClient,
    private readonly links: SignedLinks,
  ) {}

  async landing(relayId: string, language: unknown): Promise<PublicAnswer> {
    if (!objectId.safeParse(relayId).success) throw new NotFound('no such alert');
    const asked = typeof language === 'string' && /^[a-z]{2,3}$/.test(language) ? language : undefined;
    const view = await this.rpc.request(relayRpc.publicView, { relayId, language: asked });
    return { page: alertPage(view, pageState(view, new Date()), this.links.webClickPath(relayId)) };
  }

  /**
   * Where a click goes: delivery counts it and answers the call-to-action
   * URL. A token we signed ourselves never strands the person: when delivery
   * is slow, down, or does not know the relay, they land on the alert's page.
   */
  async click(token: string): Promise<PublicAnswer> {
    const relayId = this.links.clickedRelay(token);
    if (!relayId) throw new NotFound('no such link');
    try {
      const reply = await this.rpc.request(deliveryRpc.click, { token }, CLICK_TIMEOUT_MS);
      return { redirect: reply.redirectTo };
    } catch (error) {
      const reason = error instanceof DomainError ? `${error.statusCode} ${error.message}` : 'delivery answered no web address';
      this.logger.warn({ relayId, reason }, 'click not counted; sending the person to the alert page');
      return { redirect: `/a/${relayId}` };
    }
  }
}

/** Only an approved relay is public; a cancelled one stays readable (people follow old links) without its call to action. */
function pageState(view: PublicRelayView, now: Date): AlertPageState {
  if (view.status === 'cancelled') return 'withdrawn';
  if (view.status !== 'approved') throw new NotFound('no such alert');
  return view.expiresAt && Date.parse(view.expiresAt) <= now.getTime() ? 'ended' : 'open';
}
