import { Controller } from '@nestjs/common';
import { directoryRpc, type SenderDkimView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { SenderDkimService } from './sender-dkim.service';

/** An organisation's DKIM key, as its admins manage it through the gateway. */
@Controller()
export class SenderDkimController {
  constructor(private readonly dkim: SenderDkimService) {}

  @RequestHandler(directoryRpc.getSenderDkim)
  get(request: ValidRequestOf<typeof directoryRpc.getSenderDkim>): Promise<SenderDkimView> {
    return this.dkim.get(request);
  }

  @RequestHandler(directoryRpc.createSenderDkim)
  create(request: ValidRequestOf<typeof directoryRpc.createSenderDkim>): Promise<SenderDkimView> {
    return this.dkim.create(request);
  }

  @RequestHandler(directoryRpc.clearSenderDkim)
  clear(request: ValidRequestOf<typeof directoryRpc.clearSenderDkim>): Promise<SenderDkimView> {
    return this.dkim.clear(request);
  }
}
