import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { relayRequests, relayRpc, type PublicRelayView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { PublicRelayService } from './public-relay.service';

/** Public, no actor: the gateway's alert landing page (`/a/:relayId`). */
@Controller()
export class PublicRelayController {
  constructor(private readonly relays: PublicRelayService) {}

  @MessagePattern(relayRpc.publicView)
  view(@Payload() payload: unknown): Promise<PublicRelayView> {
    return this.relays.view(parseInput(relayRequests.publicView, payload));
  }
}
