import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChannelName, ContactOf } from '@clarion/channels';
import type { DeliveryConfig } from '@clarion/config';
import type { DeliveryBatch, Recipient } from '@clarion/contracts';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { sendErrors } from '@clarion/observability';
import type { RelaySending, SendOutcome } from '../channels/channel';
import { CHANNEL_SENDERS, type ChannelSenders } from '../channels/channel-senders';
import { errorMessage } from '../common/error-message';
import { mapBounded } from '../common/map-bounded';
import { deliveryIdOf, type OpenDelivery } from '../deliveries/delivery.repository';
import { SendLimits } from '../rate-limits/send-limits';
import { RelayStateRepository } from '../relays/relay-state.repository';
import { MessageLinks } from '../rendering/message-links';
import { RelayMessages, type RecipientRef } from '../rendering/relay-messages';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import { CancellationWatch } from './cancellation-watch';
import { SendWatchdog } from './send-watchdog';

/** Past every channel's own bounds (push 10 s by default, an email's deadline up to 2 minutes): only a send that would never end. */
const SEND_BACKSTOP_MS = 150_000;

export interface Attempt {
  delivery: OpenDelivery;
  outcome: SendOutcome;
}

export interface SendReport {
  attempts: Attempt[];
  /** Not sent because the relay was cancelled while the batch was sending. */
  cancelled: OpenDelivery[];
}

/** One function per channel that has a delivery in the batch, made on its first. */
type SendFunctions = { [C in ChannelName]?: (ref: RecipientRef, contact: ContactOf<C>) => Promise<SendOutcome> };

type Result = { delivery: OpenDelivery; outcome?: SendOutcome };

/** Not sent: the pass outlived its deadline and its batch went back to the queue, whose next pass sends it. */
const ABANDONED: SendOutcome = { kind: 'retry', reason: 'the pass was abandoned at its deadline' };

/** Sends a batch's open deliveries, SEND_CONCURRENCY at a time, each through its channel's adapter. */
@Injectable()
export class BatchSender {
  private readonly logger = new Logger(BatchSender.name);

  constructor(
    @Inject(CHANNEL_SENDERS) private readonly senders: ChannelSenders,
    private readonly links: MessageLinks,
    private readonly relayStates: RelayStateRepository,
    private readonly limits: SendLimits,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  /** `abandoned`: once aborted, nothing more is sent; what is left counts as a retry. */
  async send(batch: DeliveryBatch, identity: SenderIdentity, open: OpenDelivery[], abandoned?: AbortSignal): Promise<SendReport> {
    const { relay } = batch;
    const recipients = new Map(batch.recipients.map((recipient) => [recipient.supporterId, recipient]));
    const sending: RelaySending = { relay, identity, messages: new RelayMessages(relay, this.links, batch.followUp) };
    const sendFunctions: SendFunctions = {};
    const watch = new CancellationWatch(
      () => this.relayStates.isCancelled(relay.relayId),
      (error) => this.logger.warn({ relayId: relay.relayId, err: errorMessage(error) }, 'cancellation check failed; sending on'),
    );
    // A retraction is what a cancelled relay sends; everything else stops when the relay is cancelled.
    const stopsOnCancel = batch.followUp?.kind !== 'retraction';
    // Not sent: the pass was abandoned (the rest counts as a retry) or the relay cancelled (reported as cancelled).
    const stopped = async (delivery: OpenDelivery): Promise<Result | undefined> => {
      if (abandoned?.aborted) return { delivery, outcome: ABANDONED };
      return stopsOnCancel && (await watch.seen()) ? { delivery } : undefined;
    };
    const watchdog = new SendWatchdog(SEND_BACKSTOP_MS, (channel, waitedMs) =>
      this.logger.warn({ relayId: relay.relayId, channel, waitedMs }, 'a send never answered; counted as a retry so the batch can finish'),
    );
    let results: Result[];
    try {
      results = await mapBounded(open, this.config.SEND_CONCURRENCY, async (delivery): Promise<Result> => {
        const recipient = recipients.get(delivery.supporterId);
        const before = await stopped(delivery);
        if (before) return before;
        // A token of each send rate limit the message falls under, shared by every worker (docs/decisions/0014).
        const permit = await this.limits.acquire({ orgId: relay.orgId, channel: delivery.channel, recipient });
        if (!permit.ok) return { delivery, outcome: { kind: 'retry', reason: permit.reason } };
        // The wait may have been long: the relay may have been cancelled, or the pass abandoned, meanwhile.
        const afterWait = await stopped(delivery);
        if (afterWait) return afterWait;
        const outcome = await watchdog.watch(delivery.channel, this.sendOne(sending, sendFunctions, delivery, delivery.channel, recipient));
        if (outcome.kind !== 'sent') {
          sendErrors.inc({ channel: delivery.channel, provider_class: this.providerClass(delivery.channel, recipient, identity), kind: outcome.kind });
        }
        return { delivery, outcome };
      });
    } finally {
      watchdog.stop();
    }
    return {
      attempts: results.filter((result): result is Attempt => result.outcome !== undefined),
      cancelled: results.filter((result) => result.outcome === undefined).map((result) => result.delivery),
    };
  }

  private async sendOne<C extends ChannelName>(
    sending: RelaySending,
    sendFunctions: SendFunctions,
    delivery: OpenDelivery,
    channel: C,
    recipient: Recipient | undefined,
  ): Promise<SendOutcome> {
    try {
      if (!recipient) throw new Error('the ledger has a delivery for a supporter this batch does not carry');
      const contact = recipient.contacts[channel];
      if (contact === undefined) throw new Error(`${channel} delivery for a recipient without a ${channel} contact`);
      // The original's record on this channel: the message itself, or the one a follow-up threads to and replaces.
      const originalDeliveryId = deliveryIdOf(sending.relay.relayId, delivery).toHexString();
      const ref: RecipientRef = { supporterId: delivery.supporterId, language: recipient.language, deliveryId: delivery.deliveryId, originalDeliveryId };
      const send = (sendFunctions[channel] ??= this.senders[channel].forRelay(sending) as SendFunctions[C]);
      return await send!(ref, contact as ContactOf<C>);
    } catch (error) {
      // Not a provider's verdict but a message we could not prepare: retried like a provider outage, and bounded the same way.
      this.logger.error({ relayId: sending.relay.relayId, deliveryId: delivery.deliveryId, err: errorMessage(error) }, 'message not prepared');
      return { kind: 'retry', reason: errorMessage(error) };
    }
  }

  private providerClass<C extends ChannelName>(channel: C, recipient: Recipient | undefined, identity: SenderIdentity): string {
    const contact = recipient?.contacts[channel];
    return contact === undefined ? `other-${channel}` : this.senders[channel].providerClass(contact as ContactOf<C>, identity);
  }
}
