import { Controller } from '@nestjs/common';
import { deliveryRpc, type ProviderFeedbackView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { ProviderFeedbackService } from './provider-feedback.service';

@Controller()
export class ProviderFeedbackController {
  constructor(private readonly feedback: ProviderFeedbackService) {}

  @RequestHandler(deliveryRpc.providerFeedback)
  report(request: ValidRequestOf<typeof deliveryRpc.providerFeedback>): Promise<ProviderFeedbackView> {
    return this.feedback.report(request);
  }
}
