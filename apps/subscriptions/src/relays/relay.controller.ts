import { Controller } from '@nestjs/common';
import { relayRpc, type AlertRelayView, type RelayContent, type RelayCountsView, type RelayView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { RelayPreviewService } from './relay-preview.service';
import { RelayService } from './relay.service';

@Controller()
export class RelayController {
  constructor(
    private readonly relays: RelayService,
    private readonly previews: RelayPreviewService,
  ) {}

  @RequestHandler(relayRpc.previewContent)
  previewContent(request: ValidRequestOf<typeof relayRpc.previewContent>): Promise<RelayContent> {
    return this.previews.content(request);
  }

  @RequestHandler(relayRpc.list)
  list(request: ValidRequestOf<typeof relayRpc.list>): Promise<RelayView[]> {
    return this.relays.list(request);
  }

  @RequestHandler(relayRpc.approve)
  approve(request: ValidRequestOf<typeof relayRpc.approve>): Promise<RelayView> {
    return this.relays.approve(request);
  }

  @RequestHandler(relayRpc.decline)
  decline(request: ValidRequestOf<typeof relayRpc.decline>): Promise<RelayView> {
    return this.relays.decline(request);
  }

  @RequestHandler(relayRpc.listForAlert)
  listForAlert(request: ValidRequestOf<typeof relayRpc.listForAlert>): Promise<AlertRelayView[]> {
    return this.relays.listForAlert(request);
  }

  @RequestHandler(relayRpc.counts)
  counts(request: ValidRequestOf<typeof relayRpc.counts>): Promise<RelayCountsView> {
    return this.relays.counts(request);
  }
}
