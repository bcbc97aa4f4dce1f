import { Controller } from '@nestjs/common';
import { directoryRpc, type OrganisationView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { OrganisationService } from './organisation.service';

@Controller()
export class OrganisationController {
  constructor(private readonly organisations: OrganisationService) {}

  @RequestHandler(directoryRpc.createOrganisation)
  create(request: ValidRequestOf<typeof directoryRpc.createOrganisation>): Promise<OrganisationView> {
    return this.organisations.create(request);
  }

  @RequestHandler(directoryRpc.listOrganisations)
  list(request: ValidRequestOf<typeof directoryRpc.listOrganisations>): Promise<OrganisationView[]> {
    return this.organisations.list(request);
  }

  @RequestHandler(directoryRpc.updateOrganisation)
  update(request: ValidRequestOf<typeof directoryRpc.updateOrganisation>): Promise<OrganisationView> {
    return this.organisations.update(request);
  }

  @RequestHandler(directoryRpc.getOrganisation)
  get(request: ValidRequestOf<typeof directoryRpc.getOrganisation>): Promise<OrganisationView> {
    return this.organisations.get(request);
  }
}
