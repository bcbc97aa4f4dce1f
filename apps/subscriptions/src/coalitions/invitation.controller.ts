import { Controller } from '@nestjs/common';
import { directoryRpc, type InvitationView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { InvitationService } from './invitation.service';

@Controller()
export class InvitationController {
  constructor(private readonly invitations: InvitationService) {}

  @RequestHandler(directoryRpc.createInvitation)
  create(request: ValidRequestOf<typeof directoryRpc.createInvitation>): Promise<InvitationView> {
    return this.invitations.create(request);
  }

  @RequestHandler(directoryRpc.listInvitations)
  list(request: ValidRequestOf<typeof directoryRpc.listInvitations>): Promise<InvitationView[]> {
    return this.invitations.list(request);
  }
}
