import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { deliveryRpc, supporterHistoryRequest, type SupporterHistoryView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { SupporterLedgerService } from './supporter-ledger.service';

@Controller()
export class SupporterLedgerController {
  constructor(private readonly ledger: SupporterLedgerService) {}

  @MessagePattern(deliveryRpc.supporterHistory)
  history(@Payload() payload: unknown): Promise<SupporterHistoryView> {
    return this.ledger.history(parseInput(supporterHistoryRequest, payload));
  }
}
