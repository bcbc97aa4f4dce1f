import { Controller } from '@nestjs/common';
import { deliveryRpc, type ResendFailedView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { ResendService } from './resend.service';

@Controller()
export class ResendController {
  constructor(private readonly resends: ResendService) {}

  @RequestHandler(deliveryRpc.resendFailed)
  resendFailed(request: ValidRequestOf<typeof deliveryRpc.resendFailed>): Promise<ResendFailedView> {
    return this.resends.resendFailed(request);
  }
}
