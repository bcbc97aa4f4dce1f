import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { directoryRequests, directoryRpc, type OrganisationView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { OrganisationService } from './organisation.service';

@Controller()
export class OrganisationController {
  constructor(private readonly organisations: OrganisationService) {}

  @MessagePattern(directoryRpc.createOrganisation)
  create(@Payload() payload: unknown): Promise<OrganisationView> {
    return this.organisations.create(parseInput(directoryRequests.createOrganisation, payload));
  }

  @MessagePattern(directoryRpc.listOrganisations)
  list(@Payload() payload: unknown): Promise<OrganisationView[]> {
    return this.organisations.list(parseInput(directoryRequests.listOrganisations, payload));
  }

  @MessagePattern(directoryRpc.getOrganisation)
  get(@Payload() payload: unknown): Promise<OrganisationView> {
    return this.organisations.get(parseInput(directoryRequests.getOrganisation, payload));
  }
}
