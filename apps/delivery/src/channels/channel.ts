import type { ChannelName, ContactOf } from '@clarion/channels';
import type { RelayContent } from '@clarion/contracts';
import type { RecipientRef, RelayMessages } from '../rendering/relay-messages';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import type { SendFact, SendOutcome } from '../common/send-outcome';

// What a send came to is below every feature that acts on it (channels, feedback, batches).
export { REFUSED_LOCALLY, type SendFact, type SendOutcome } from '../common/send-outcome';

/** One delivery channel (email, push; SMS or webhooks later): sends one rendered message and never throws for a provider's answer. */
export interface ChannelAdapter<Message> {
  send(message: Message): Promise<SendOutcome>;
}

/** What a channel needs to send one relay's messages: the relay, the organisation's sender identity, the rendered messages. */
export interface RelaySending {
  relay: RelayContent;
  identity: SenderIdentity;
  messages: RelayMessages;
}

/**
 * The sending side of a channel of the registry (libs/channels): registered
 * once in channel-senders.ts, and asked by the batch sender for each delivery
 * on its channel. It never throws for a provider's answer.
 */
export interface ChannelSender<C extends ChannelName> {
  /** Once per batch pass and channel: sends one delivery's message to one contact. */
  forRelay(sending: RelaySending): (ref: RecipientRef, contact: ContactOf<C>) => Promise<SendOutcome>;
  /** A bounded name for who refused a send (the send-error metric's `provider_class`): never a host as given. */
  providerClass(contact: ContactOf<C>, identity: SenderIdentity): string;
  /**
   * Tells subscriptions a final verdict on the contact (the registry's `outcomes` say what it does to the
   * supporter's state). Called only after the ledger holds the outcome; nothing to tell for most outcomes.
   */
  report(outcome: SendOutcome, fact: SendFact, contact: ContactOf<C>): Promise<void>;
  /** A channel confirmed by a code (`optIn: { by: 'code' }` in the registry) sends it here, in the organisation's name. */
  sendCode?(request: OptInCodeText<C>): Promise<SendOutcome>;
}

/** A double opt-in code to send: who for, in which language, and how long it lasts. */
export interface OptInCodeText<C extends ChannelName> {
  to: ContactOf<C>;
  orgName: string;
  code: string;
  language: string;
  expiresInMinutes: number;
}
