import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { directoryRequests, directoryRpc, type MembershipView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { MembershipService } from './membership.service';

@Controller()
export class MembershipController {
  constructor(private readonly memberships: MembershipService) {}

  @MessagePattern(directoryRpc.createMembership)
  create(@Payload() payload: unknown): Promise<MembershipView> {
    return this.memberships.create(parseInput(directoryRequests.createMembership, payload));
  }

  @MessagePattern(directoryRpc.listMemberships)
  list(@Payload() payload: unknown): Promise<MembershipView[]> {
    return this.memberships.list(parseInput(directoryRequests.listMemberships, payload));
  }

  @MessagePattern(directoryRpc.updateMembership)
  update(@Payload() payload: unknown): Promise<MembershipView> {
    return this.memberships.update(parseInput(directoryRequests.updateMembership, payload));
  }

  @MessagePattern(directoryRpc.deleteMembership)
  delete(@Payload() payload: unknown): Promise<MembershipView> {
    return this.memberships.delete(parseInput(directoryRequests.deleteMembership, payload));
  }
}
