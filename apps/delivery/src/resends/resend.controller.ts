import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { deliveryRpc, type ResendFailedView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { resendFailedRequest } from './resend.requests';
import { ResendService } from './resend.service';

@Controller()
export class ResendController {
  constructor(private readonly resends: ResendService) {}

  @MessagePattern(deliveryRpc.resendFailed)
  resendFailed(@Payload() payload: unknown): Promise<ResendFailedView> {
    return this.resends.resendFailed(parseInput(resendFailedRequest, payload));
  }
}
