import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types } from 'mongoose';
import type { RelayStatus } from '@clarion/contracts';
import { isDuplicateKey } from '../common/stored';
import type { RelayDecision } from './relay-policy';
import { Relay, type RelayDraft, type RelayEventKind, type RelayRecord } from './relay.schema';

const EVENT_KINDS: RelayEventKind[] = ['approved', 'declined', 'cancelled'];

/**
 * Relays are scoped by organisation (editors) or by coalition (alert facts,
 * coordinators). The two sweeps are the exception: they look across tenants
 * by design and act on each relay within its own organisation.
 */
@Injectable()
export class RelayRepository implements OnModuleInit {
  constructor(@InjectModel(Relay.name) private readonly relays: Model<Relay>) {}

  /** The unique alert+organisation index must exist before the first relay is opened. */
  async onModuleInit(): Promise<void> {
    await this.relays.init();
  }

  /** Undefined when this alert already has a relay for this organisation (a redelivered event). */
  async openOnce(draft: RelayDraft): Promise<RelayRecord | undefined> {
    try {
      return (await this.relays.create(draft)).toObject<RelayRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  listForOrg(orgId: string, status: RelayStatus | undefined, limit: number): Promise<RelayRecord[]> {
    return this.relays
      .find({ orgId, ...(status ? { status } : {}) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<RelayRecord[]>()
      .exec();
  }

  findInOrg(orgId: string, relayId: string): Promise<RelayRecord | null> {
    return this.relays.findOne({ _id: relayId, orgId }).lean<RelayRecord>().exec();
  }

  /** By its id alone, read-only, for its public page: the id in the link is the only thing the public knows. */
  findForPublicPage(relayId: string): Promise<RelayRecord | null> {
    return this.relays.findById(relayId).lean<RelayRecord>().exec();
  }

  /**
   * Decides a relay only if it is still pending, in one conditional write, so
   * an editor and the deadline (or two replicas) never both decide it. The
   * decision's event is owed in the same write.
   */
  decidePending(orgId: string, relayId: string | Types.ObjectId, decision: RelayDecision): Promise<RelayRecord | null> {
    return this.relays
      .findOneAndUpdate(
        { _id: relayId, orgId, status: 'pending' },
        { $set: { ...decision, decidedAt: new Date(), pendingEvent: decision.status } },
        { new: true },
      )
      .lean<RelayRecord>()
      .exec();
  }

  /** Cancels the alert's relays that were not declined; returns those this call cancelled. */
  async cancelForAlert(coalitionId: string, alertId: string): Promise<RelayRecord[]> {
    const open = { coalitionId, alertId, status: { $in: ['pending', 'approved'] } };
    const candidates = await this.relays.find(open, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>().exec();
    const cancelled: RelayRecord[] = [];
    for (const { _id } of candidates) {
      const relay = await this.relays
        .findOneAndUpdate(
          { _id, ...open },
          { $set: { status: 'cancelled', decidedBy: 'alert_cancelled', decidedAt: new Date(), pendingEvent: 'cancelled' } },
          { new: true },
        )
        .lean<RelayRecord>()
        .exec();
      if (relay) cancelled.push(relay);
    }
    return cancelled;
  }

  /**
   * The alert's relays within its coalition: every one (the coordinators' dashboard), or those in these
   * states (follow-ups: those that may have sent an original).
   */
  listForAlert(coalitionId: string, alertId: string, statuses?: RelayStatus[]): Promise<RelayRecord[]> {
    const filter = statuses ? { coalitionId, alertId, status: { $in: statuses } } : { coalitionId, alertId };
    return this.relays.find(filter).lean<RelayRecord[]>().exec();
  }

  /** A correction reaches every relay still showing an older version; a late, older one changes nothing. */
  async correctForAlert(coalitionId: string, alertId: string, summary: Pick<Relay, 'alertVersion' | 'title' | 'urgency'>): Promise<number> {
    const result = await this.relays
      .updateMany({ coalitionId, alertId, alertVersion: { $lt: summary.alertVersion } }, { $set: summary })
      .exec();
    return result.modifiedCount;
  }


  async countByStatus(coalitionId: string, alertId: string): Promise<Partial<Record<RelayStatus, number>>> {
    const groups = await this.relays
      .aggregate<{ _id: RelayStatus; count: number }>([
        { $match: { coalitionId, alertId } },
        { $group: { _id: '$status', count: { $sum: 1 } } },
      ])
      .exec();
    return Object.fromEntries(groups.map((group) => [group._id, group.count]));
  }

  /** Deadline sweep, across organisations. */
  /** Pending reviews whose staff were not told yet (a crash between opening and telling), or not reminded though the reminder is due. */
  findReviewNoticesOwed(remindBefore: Date, limit: number): Promise<RelayRecord[]> {
    return this.relays
      .find({
        status: 'pending',
        deadline: { $exists: true },
        $or: [{ reviewAnnouncedAt: { $exists: false } }, { reviewRemindedAt: { $exists: false }, deadline: { $lte: remindBefore } }],
      })
      .sort({ deadline: 1 })
      .limit(limit)
      .lean<RelayRecord[]>()
      .exec();
  }

  /** Records a notice as given; false when another replica recorded it first. */
  async markReviewNotice(relayId: string, field: 'reviewAnnouncedAt' | 'reviewRemindedAt', at: Date): Promise<boolean> {
    const result = await this.relays.updateOne({ _id: relayId, [field]: { $exists: false } }, { $set: { [field]: at } }).exec();
    return result.modifiedCount > 0;
  }

  findOverdue(now: Date, limit: number): Promise<RelayRecord[]> {
    return this.relays.find({ status: 'pending', deadline: { $lte: now } }).sort({ deadline: 1 }).limit(limit).lean<RelayRecord[]>().exec();
  }

  /** Outbox sweep, across organisations: relays decided before `decidedBefore` whose event is still owed. */
  findOwingEvents(decidedBefore: Date, limit: number): Promise<RelayRecord[]> {
    return this.relays
      .find({ pendingEvent: { $in: EVENT_KINDS }, decidedAt: { $lte: decidedBefore } })
      .sort({ decidedAt: 1 })
      .limit(limit)
      .lean<RelayRecord[]>()
      .exec();
  }

  /** Only the event that was published: a later decision's marker stays owed. */
  async clearPendingEvent(orgId: string, relayId: Types.ObjectId, published: RelayEventKind): Promise<void> {
    await this.relays.updateOne({ _id: relayId, orgId, pendingEvent: published }, { $unset: { pendingEvent: 1 } }).exec();
  }
}
