import { Controller } from '@nestjs/common';
import { directoryRpc, type MembershipView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { MembershipService } from './membership.service';

@Controller()
export class MembershipController {
  constructor(private readonly memberships: MembershipService) {}

  @RequestHandler(directoryRpc.createMembership)
  create(request: ValidRequestOf<typeof directoryRpc.createMembership>): Promise<MembershipView> {
    return this.memberships.create(request);
  }

  @RequestHandler(directoryRpc.listMemberships)
  list(request: ValidRequestOf<typeof directoryRpc.listMemberships>): Promise<MembershipView[]> {
    return this.memberships.list(request);
  }

  @RequestHandler(directoryRpc.updateMembership)
  update(request: ValidRequestOf<typeof directoryRpc.updateMembership>): Promise<MembershipView> {
    return this.memberships.update(request);
  }

  @RequestHandler(directoryRpc.deleteMembership)
  delete(request: ValidRequestOf<typeof directoryRpc.deleteMembership>): Promise<MembershipView> {
    return this.memberships.delete(request);
  }
}
