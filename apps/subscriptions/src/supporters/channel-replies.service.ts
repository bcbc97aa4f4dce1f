import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { channels, type AnyChannel, type ChannelName, type Transition } from '@clarion/channels';
import { Invalid } from '@clarion/errors';
import type { SupporterRequest } from '../common/requests';
import { isDuplicateKey } from '../common/stored';
import { ChannelReply } from './channel-reply.schema';
import { ConsentRepository } from './consent.repository';
import { SupporterFacts } from './supporter-facts';
import { SupporterRepository } from './supporter.repository';

/**
 * A contact's own reply through its provider, signature checked by the gateway (docs/decisions/0037): an SMS
 * STOP unsubscribes the number (consent withdrawn), START restores an earlier consent. The sender is the
 * installation's (SMS_FROM), so a reply concerns every organisation the number is on. Once per reply id.
 */
@Injectable()
export class ChannelRepliesService {
  constructor(
    @InjectModel(ChannelReply.name) private readonly replies: Model<ChannelReply>,
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
    private readonly facts: SupporterFacts,
  ) {}

  async reply({ channel, contact, action, replyId, source }: SupporterRequest<'channelReply'>): Promise<{ moved: number }> {
    const definition: AnyChannel = channels[channel];
    const transition: Transition<string> | undefined = action === 'opt-out' ? definition.unsubscribe : definition.resubscribe;
    if (!transition) throw new Invalid(`${channel} takes no ${action} reply`, 'action');
    const parsed = definition.contact.safeParse(contact);
    if (!parsed.success) throw new Invalid('must be a contact on the channel', 'contact');
    const key = definition.key.of(definition.stored(parsed.data));
    try {
      await this.replies.create({ _id: `${channel}:${replyId}`, at: new Date() });
    } catch (error) {
      if (isDuplicateKey(error)) return { moved: 0 };
      throw error;
    }
    let moved = 0;
    for (const supporter of await this.supporters.findEverywhereByKey(channel, key)) {
      const supporterId = supporter._id.toHexString();
      if (!(await this.supporters.move(supporter.orgId, supporterId, channel as ChannelName, transition as Transition<never>))) continue;
      moved += 1;
      const consentAction = action === 'opt-out' ? 'withdrawn' : 'granted';
      await this.consents.append([{ supporterId, orgId: supporter.orgId, channel: channel as ChannelName, action: consentAction, method: 'channel-reply', at: new Date(), source }]);
      await this.facts.consentChanged(`${channel}:${replyId}:${supporterId}`, { orgId: supporter.orgId, supporterId, channels: [channel as ChannelName], action: consentAction });
    }
    return { moved };
  }
}
