import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { directoryRequests, directoryRpc, type CoalitionView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { CoalitionService, type CoalitionSettings } from './coalition.service';

@Controller()
export class CoalitionController {
  constructor(private readonly coalitions: CoalitionService) {}

  @MessagePattern(directoryRpc.createCoalition)
  create(@Payload() payload: unknown): Promise<CoalitionView> {
    return this.coalitions.create(parseInput(directoryRequests.createCoalition, payload));
  }

  @MessagePattern(directoryRpc.listCoalitions)
  list(@Payload() payload: unknown): Promise<CoalitionView[]> {
    return this.coalitions.list(parseInput(directoryRequests.listCoalitions, payload));
  }

  @MessagePattern(directoryRpc.getCoalition)
  get(@Payload() payload: unknown): Promise<CoalitionView> {
    return this.coalitions.get(parseInput(directoryRequests.getCoalition, payload));
  }

  /** Service to service (alerts): no actor. */
  @MessagePattern(directoryRpc.coalitionSettings)
  settings(@Payload() payload: unknown): Promise<CoalitionSettings> {
    return this.coalitions.settings(parseInput(directoryRequests.coalitionSettings, payload));
  }
}
