import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { directoryRequests, directoryRpc, type InvitationView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { InvitationService } from './invitation.service';

@Controller()
export class InvitationController {
  constructor(private readonly invitations: InvitationService) {}

  @MessagePattern(directoryRpc.createInvitation)
  create(@Payload() payload: unknown): Promise<InvitationView> {
    return this.invitations.create(parseInput(directoryRequests.createInvitation, payload));
  }

  @MessagePattern(directoryRpc.listInvitations)
  list(@Payload() payload: unknown): Promise<InvitationView[]> {
    return this.invitations.list(parseInput(directoryRequests.listInvitations, payload));
  }
}
