import { Controller } from '@nestjs/common';
import { deliveryRpc, type ClickResultView, type RelayProgress, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { ProgressService } from './progress.service';

@Controller()
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @RequestHandler(deliveryRpc.progress)
  list(request: ValidRequestOf<typeof deliveryRpc.progress>): Promise<RelayProgress[]> {
    return this.progress.list(request);
  }

  @RequestHandler(deliveryRpc.click)
  click(request: ValidRequestOf<typeof deliveryRpc.click>): Promise<ClickResultView> {
    return this.progress.click(request);
  }
}
