import { Controller } from '@nestjs/common';
import { relayRpc, type PublicRelayView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { PublicRelayService } from './public-relay.service';

/** Public, no actor: the gateway's alert landing page (`/a/:relayId`). */
@Controller()
export class PublicRelayController {
  constructor(private readonly relays: PublicRelayService) {}

  @RequestHandler(relayRpc.publicView)
  view(request: ValidRequestOf<typeof relayRpc.publicView>): Promise<PublicRelayView> {
    return this.relays.view(request);
  }
}
