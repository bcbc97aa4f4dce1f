import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { relayRequests, relayRpc, type RelayCountsView, type RelayView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { RelayService } from './relay.service';

@Controller()
export class RelayController {
  constructor(private readonly relays: RelayService) {}

  @MessagePattern(relayRpc.list)
  list(@Payload() payload: unknown): Promise<RelayView[]> {
    return this.relays.list(parseInput(relayRequests.list, payload));
  }

  @MessagePattern(relayRpc.approve)
  approve(@Payload() payload: unknown): Promise<RelayView> {
    return this.relays.approve(parseInput(relayRequests.approve, payload));
  }

  @MessagePattern(relayRpc.decline)
  decline(@Payload() payload: unknown): Promise<RelayView> {
    return this.relays.decline(parseInput(relayRequests.decline, payload));
  }

  @MessagePattern(relayRpc.counts)
  counts(@Payload() payload: unknown): Promise<RelayCountsView> {
    return this.relays.counts(parseInput(relayRequests.counts, payload));
  }
}
