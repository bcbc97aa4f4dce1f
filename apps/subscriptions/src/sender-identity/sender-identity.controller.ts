import { Controller } from '@nestjs/common';
import { supporterRpc, type SenderIdentityView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { SenderIdentityService } from './sender-identity.service';

/** Service to service: delivery asks how to send in an organisation's name. */
@Controller()
export class SenderIdentityController {
  constructor(private readonly senders: SenderIdentityService) {}

  @RequestHandler(supporterRpc.senderIdentity)
  identity(request: ValidRequestOf<typeof supporterRpc.senderIdentity>): Promise<SenderIdentityView> {
    return this.senders.identity(request);
  }
}
