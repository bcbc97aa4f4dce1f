import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { deliveryRpc, type RelayProgress } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { clickRequest, progressRequest } from './progress.requests';
import { ProgressService } from './progress.service';

@Controller()
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @MessagePattern(deliveryRpc.progress)
  list(@Payload() payload: unknown): Promise<RelayProgress[]> {
    return this.progress.list(parseInput(progressRequest, payload));
  }

  @MessagePattern(deliveryRpc.click)
  click(@Payload() payload: unknown): Promise<{ relayId: string; redirectTo: string }> {
    return this.progress.click(parseInput(clickRequest, payload));
  }
}
