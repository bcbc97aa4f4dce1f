import { Controller } from '@nestjs/common';
import { directoryRpc, type CoalitionSettingsView, type CoalitionView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { CoalitionService } from './coalition.service';

@Controller()
export class CoalitionController {
  constructor(private readonly coalitions: CoalitionService) {}

  @RequestHandler(directoryRpc.createCoalition)
  create(request: ValidRequestOf<typeof directoryRpc.createCoalition>): Promise<CoalitionView> {
    return this.coalitions.create(request);
  }

  @RequestHandler(directoryRpc.listCoalitions)
  list(request: ValidRequestOf<typeof directoryRpc.listCoalitions>): Promise<CoalitionView[]> {
    return this.coalitions.list(request);
  }

  @RequestHandler(directoryRpc.getCoalition)
  get(request: ValidRequestOf<typeof directoryRpc.getCoalition>): Promise<CoalitionView> {
    return this.coalitions.get(request);
  }

  /** Service to service (alerts): no actor. */
  @RequestHandler(directoryRpc.coalitionSettings)
  settings(request: ValidRequestOf<typeof directoryRpc.coalitionSettings>): Promise<CoalitionSettingsView> {
    return this.coalitions.settings(request);
  }
}
