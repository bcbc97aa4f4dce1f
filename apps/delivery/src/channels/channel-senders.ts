import type { Provider, Type } from '@nestjs/common';
import { channelNames, type ChannelName } from '@clarion/channels';
import type { ChannelSender } from './channel';
import { EmailChannel } from './email/email.channel';
import { EmailSender } from './email/email.sender';
import { PushChannel } from './push/push.channel';
import { PushSender } from './push/push.sender';
import { SmsSender } from './sms/sms.sender';

/** Each channel's sender, and the providers it needs beside it. */
interface SenderRegistration<C extends ChannelName> {
  sender: Type<ChannelSender<C>>;
  providers: Provider[];
}

/**
 * The sending side of every channel of the registry (libs/channels), one line each. Typed by the
 * registry: a channel added there does not compile here until its sender is (docs/adding-a-channel.md).
 */
const registrations: { [C in ChannelName]: SenderRegistration<C> } = {
  email: { sender: EmailSender, providers: [EmailChannel] },
  push: { sender: PushSender, providers: [PushChannel] },
  sms: { sender: SmsSender, providers: [] },
};

export type ChannelSenders = { readonly [C in ChannelName]: ChannelSender<C> };
export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');

/** What the delivery module provides for the channels: each sender, what it needs, and CHANNEL_SENDERS, all of them by name. */
export const channelSenderProviders: Provider[] = [
  ...channelNames.flatMap((name) => [registrations[name].sender, ...registrations[name].providers]),
  {
    provide: CHANNEL_SENDERS,
    useFactory: (...senders: ChannelSender<ChannelName>[]): ChannelSenders => Object.fromEntries(channelNames.map((name, index) => [name, senders[index]])) as ChannelSenders,
    inject: channelNames.map((name) => registrations[name].sender),
  },
];
