import { Inject, Injectable } from '@nestjs/common';
import { deliveryChannelSchema, type ClickResultView, type deliveryRpc, type RelayContent, type RelayProgress as RelayProgressView, type ValidRequestOf } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { fanOutLatency } from '@clarion/observability';
import { LinkSigner } from '@clarion/security';
import { crossedMilestones } from './fan-out-milestones';
import { ProgressPublisher } from './progress.publisher';
import { ProgressRepository, type ProgressIncrements } from './progress.repository';
import { toProgressView } from './progress.view';

/** Where a call-to-action link can be: a message's channel, or the public landing page. */
const CLICK_SOURCES = [...deliveryChannelSchema.options, 'web'];

@Injectable()
export class ProgressService {
  constructor(
    private readonly progress: ProgressRepository,
    private readonly publisher: ProgressPublisher,
    @Inject(LinkSigner) private readonly signer: LinkSigner,
  ) {}

  /** After each batch pass that changed something: the counters move, and the live view hears of it. */
  async record(relay: RelayContent, increments: ProgressIncrements): Promise<void> {
    const changed = Object.values(increments).some((counts) => Object.values(counts ?? {}).some((count) => count !== 0));
    if (!changed) return;
    const after = await this.progress.add(relay, increments);
    this.publisher.publish(toProgressView(after));
    if (relay.publishedAt) {
      const seconds = Math.max(0, (Date.now() - Date.parse(relay.publishedAt)) / 1000);
      for (const milestone of crossedMilestones(after.channels, increments)) fanOutLatency.observe({ milestone }, seconds);
    }
  }

  async list(request: ValidRequestOf<typeof deliveryRpc.progress>): Promise<RelayProgressView[]> {
    const found = 'alertId' in request ? await this.progress.forAlert(request.alertId) : await this.progress.forOrg(request.orgId);
    return found.map(toProgressView);
  }

  /** A forged, foreign or unknown token is NotFound, like a relay that does not exist. */
  async click({ token }: ValidRequestOf<typeof deliveryRpc.click>): Promise<ClickResultView> {
    const claims = this.signer.verify('click', token);
    const relayId = typeof claims?.r === 'string' ? claims.r : undefined;
    if (!relayId || !CLICK_SOURCES.includes(String(claims?.ch))) throw new NotFound('no such link');
    const relay = await this.progress.countClick(relayId);
    if (!relay?.ctaUrl) throw new NotFound('no such link');
    // A click moves the live funnel like a send does.
    this.publisher.publish(toProgressView(relay));
    return { relayId, redirectTo: relay.ctaUrl };
  }
}
