import { Controller } from '@nestjs/common';
import { deliveryRpc, type SupporterHistoryView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { SupporterLedgerService } from './supporter-ledger.service';

@Controller()
export class SupporterLedgerController {
  constructor(private readonly ledger: SupporterLedgerService) {}

  @RequestHandler(deliveryRpc.supporterHistory)
  history(request: ValidRequestOf<typeof deliveryRpc.supporterHistory>): Promise<SupporterHistoryView> {
    return this.ledger.history(request);
  }
}
