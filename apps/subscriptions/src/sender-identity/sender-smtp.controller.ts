import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { directoryRequests, directoryRpc, type SenderSmtpView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { SenderSmtpService } from './sender-smtp.service';

/** An organisation's own SMTP server, as its admins manage it through the gateway. */
@Controller()
export class SenderSmtpController {
  constructor(private readonly smtp: SenderSmtpService) {}

  @MessagePattern(directoryRpc.getSenderSmtp)
  get(@Payload() payload: unknown): Promise<SenderSmtpView> {
    return this.smtp.get(parseInput(directoryRequests.getSenderSmtp, payload));
  }

  @MessagePattern(directoryRpc.setSenderSmtp)
  set(@Payload() payload: unknown): Promise<SenderSmtpView> {
    return this.smtp.set(parseInput(directoryRequests.setSenderSmtp, payload));
  }

  @MessagePattern(directoryRpc.clearSenderSmtp)
  clear(@Payload() payload: unknown): Promise<SenderSmtpView> {
    return this.smtp.clear(parseInput(directoryRequests.clearSenderSmtp, payload));
  }
}
