import { Injectable } from '@nestjs/common';
import { channels, contactKeyHash, type ChannelName } from '@clarion/channels';
import type { EventPayload, eventSubjects } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { ConsentRepository } from '../supporters/consent.repository';
import { SupporterRepository } from '../supporters/supporter.repository';

/** Provider verdicts on a supporter's address. Idempotent: a redelivered event finds the state already changed and skips. */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly supporters: SupporterRepository,
    private readonly consents: ConsentRepository,
  ) {}

  /** The push service answered 404/410: that subscription is gone for good, so it is removed. */
  async pushGone({ orgId, supporterId, endpointHash }: EventPayload<typeof eventSubjects.pushGone>): Promise<ConsumerOutcome> {
    // Named by its hash, the channel's key: only that subscription, not a newer one of the supporter.
    const removed = await this.applyOutcome(orgId, supporterId, 'push', 'gone', endpointHash);
    return removed ? { kind: 'handled' } : { kind: 'skipped', reason: 'subscription already removed or replaced' };
  }

  /** A permanent SMTP rejection: no more email to that address. One who unsubscribed stays unsubscribed. */
  async emailRejected({ orgId, supporterId }: EventPayload<typeof eventSubjects.emailRejected>): Promise<ConsumerOutcome> {
    const suppressed = await this.applyOutcome(orgId, supporterId, 'email', 'suppress');
    return suppressed ? { kind: 'handled' } : { kind: 'skipped', reason: 'address not pending or active' };
  }

  /**
   * A spam complaint: the person does not want this organisation's email, so it is an unsubscription (recorded
   * as consent withdrawn), and it wins over a bounce, as a click on the unsubscribe link does.
   */
  async emailComplained({ orgId, supporterId, occurredAt }: EventPayload<typeof eventSubjects.emailComplained>): Promise<ConsumerOutcome> {
    const left = await this.supporters.move(orgId, supporterId, 'email', channels.email.unsubscribe);
    if (!left) return { kind: 'skipped', reason: 'address already unsubscribed or unknown' };
    await this.consents.append([{ supporterId, orgId, channel: 'email', action: 'withdrawn', method: 'complaint', at: new Date(occurredAt) }]);
    await this.supporters.dropJoinAttempt(orgId, supporterId);
    return { kind: 'handled' };
  }

  /** A refusal on a channel after email and push: the registry's transition, while the supporter's contact is still the one refused. */
  async contactRefused({ orgId, supporterId, channel, outcome, keyHash }: EventPayload<typeof eventSubjects.contactRefused>): Promise<ConsumerOutcome> {
    const address = (await this.supporters.findInOrg(orgId, supporterId))?.contacts?.[channel]?.address;
    if (address === undefined || contactKeyHash(channel, address) !== keyHash) return { kind: 'skipped', reason: 'contact already removed or replaced' };
    const key = (channels[channel].key.of as (contact: typeof address) => string)(address);
    const moved = await this.applyOutcome(orgId, supporterId, channel, outcome, key);
    return moved ? { kind: 'handled' } : { kind: 'skipped', reason: `no ${outcome} from the contact's state` };
  }

  /** What the registry says a provider's final verdict does to the channel's state (libs/channels); false when it changed nothing. */
  private async applyOutcome(orgId: string, supporterId: string, channel: ChannelName, outcome: 'suppress' | 'gone', key?: string): Promise<boolean> {
    const transition = channels[channel].outcomes[outcome];
    return transition !== undefined && (await this.supporters.move(orgId, supporterId, channel, transition, key));
  }
}
