import { Controller } from '@nestjs/common';
import { directoryRpc, type SenderSmtpView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { SenderSmtpService } from './sender-smtp.service';

/** An organisation's own SMTP server, as its admins manage it through the gateway. */
@Controller()
export class SenderSmtpController {
  constructor(private readonly smtp: SenderSmtpService) {}

  @RequestHandler(directoryRpc.getSenderSmtp)
  get(request: ValidRequestOf<typeof directoryRpc.getSenderSmtp>): Promise<SenderSmtpView> {
    return this.smtp.get(request);
  }

  @RequestHandler(directoryRpc.setSenderSmtp)
  set(request: ValidRequestOf<typeof directoryRpc.setSenderSmtp>): Promise<SenderSmtpView> {
    return this.smtp.set(request);
  }

  @RequestHandler(directoryRpc.clearSenderSmtp)
  clear(request: ValidRequestOf<typeof directoryRpc.clearSenderSmtp>): Promise<SenderSmtpView> {
    return this.smtp.clear(request);
  }
}
