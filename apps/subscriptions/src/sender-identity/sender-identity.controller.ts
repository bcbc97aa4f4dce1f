import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { supporterRequests, supporterRpc, type SenderIdentityView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { SenderIdentityService } from './sender-identity.service';

/** Service to service: delivery asks how to send in an organisation's name. */
@Controller()
export class SenderIdentityController {
  constructor(private readonly senders: SenderIdentityService) {}

  @MessagePattern(supporterRpc.senderIdentity)
  identity(@Payload() payload: unknown): Promise<SenderIdentityView> {
    return this.senders.identity(parseInput(supporterRequests.senderIdentity, payload));
  }
}
