import { Inject, Injectable } from '@nestjs/common';
import type { ChannelName, ContactOf } from '@clarion/channels';
import type { EventPayload, eventSubjects } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { CHANNEL_SENDERS, type ChannelSenders } from '../channels/channel-senders';
import type { ChannelSender } from '../channels/channel';
import { SendLimits } from '../rate-limits/send-limits';

type OptInCodeRequest = EventPayload<typeof eventSubjects.optInCode>;

/**
 * A double opt-in code, sent on the channel being joined (SMS). No ledger, like the confirmation email: a
 * redelivery after a crash at worst sends the same code twice. A refused number stays pending; its code expires.
 */
@Injectable()
export class OptInCodeService {
  constructor(
    @Inject(CHANNEL_SENDERS) private readonly senders: ChannelSenders,
    private readonly limits: SendLimits,
  ) {}

  async send(request: OptInCodeRequest): Promise<ConsumerOutcome> {
    const { orgId, supporterId, channel, contact, language } = request;
    const sender = this.senders[channel] as ChannelSender<ChannelName>;
    if (!sender.sendCode) return { kind: 'skipped', reason: `${channel} takes no opt-in code` };
    // Counted with the organisation's alerts on the channel: the same provider, the same limits.
    const permit = await this.limits.acquire({ orgId, channel, recipient: { supporterId, language, contacts: { [channel]: contact } } });
    if (!permit.ok) return { kind: 'retry', reason: permit.reason };
    const outcome = await sender.sendCode({ to: contact as ContactOf<ChannelName>, orgName: request.orgName, code: request.code, language, expiresInMinutes: request.expiresInMinutes });
    switch (outcome.kind) {
      case 'sent':
        return { kind: 'handled' };
      case 'retry':
        return { kind: 'retry', reason: outcome.reason };
      default:
        return { kind: 'skipped', reason: `contact refused: ${outcome.reason}` };
    }
  }
}
