import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, Types, UpdateQuery } from 'mongoose';
import type { AlertChange } from './alert-lifecycle';
import { Alert, type AlertRecord } from './alert.schema';

/** Which coalitions' alerts a read may see: one, or all of them (network admins). */
export type CoalitionScope = { coalitionId: string } | { allCoalitions: true };

/** The contract has no paging yet; a coalition issues a handful of alerts a week, so this is years of them. */
const LIST_LIMIT = 500;

@Injectable()
export class AlertRepository {
  constructor(@InjectModel(Alert.name) private readonly alerts: Model<Alert>) {}

  async create(alert: Alert): Promise<AlertRecord> {
    const created = await this.alerts.create(alert);
    return created.toObject<AlertRecord>();
  }

  findOne(scope: CoalitionScope, alertId: string): Promise<AlertRecord | null> {
    return this.alerts
      .findOne({ _id: alertId, ...('coalitionId' in scope ? { coalitionId: scope.coalitionId } : {}) })
      .lean<AlertRecord>()
      .exec();
  }

  /** Newest first. */
  list(scope: { coalitionId: string }): Promise<AlertRecord[]> {
    return this.alerts.find({ coalitionId: scope.coalitionId }).sort({ createdAt: -1 }).limit(LIST_LIMIT).lean<AlertRecord[]>().exec();
  }

  /**
   * Stores a lifecycle step in one document update — state, history and
   * outbox together, which is all the atomicity FerretDB offers. It applies
   * only if nobody wrote the alert since it was read; null means someone did.
   */
  applyChange(alert: AlertRecord, change: AlertChange): Promise<AlertRecord | null> {
    return this.alerts
      .findOneAndUpdate({ _id: alert._id, coalitionId: alert.coalitionId, revision: alert.revision }, toUpdate(change), { new: true })
      .lean<AlertRecord>()
      .exec();
  }

  // The sweeps below span every coalition by design: they are the service's own housekeeping, not a caller's request.

  /** Scheduled alerts whose time has come, earliest first. */
  dueForPublication(now: Date, limit: number): Promise<AlertRecord[]> {
    return this.alerts
      .find({ status: 'scheduled', scheduledFor: { $lte: now } })
      .sort({ scheduledFor: 1 })
      .limit(limit)
      .lean<AlertRecord[]>()
      .exec();
  }

  /** Marks published alerts past their expiry as expired. */
  async expirePublished(now: Date): Promise<void> {
    await this.alerts.updateMany(
      { status: 'published', expiresAt: { $lte: now } },
      { $set: { status: 'expired' }, $inc: { revision: 1 } },
    );
  }

  withPendingEvents(limit: number): Promise<Pick<AlertRecord, '_id' | 'pendingEvents'>[]> {
    return this.alerts
      .find({ 'pendingEvents.payload.eventId': { $exists: true } }, { pendingEvents: 1 })
      .limit(limit)
      .lean<Pick<AlertRecord, '_id' | 'pendingEvents'>[]>()
      .exec();
  }

  /**
   * Removes the first pending event if it is still the one just published.
   * Events go out in order, so the head is the one to drop; and FerretDB
   * ignores a conditional $pull. Neither the revision nor updatedAt move:
   * emptying the outbox changes nothing a caller decides on.
   */
  async dropDeliveredEvent(alertId: Types.ObjectId, eventId: string): Promise<void> {
    await this.alerts.updateOne(
      { _id: alertId, 'pendingEvents.0.payload.eventId': eventId },
      { $pop: { pendingEvents: -1 } },
      { timestamps: false },
    );
  }
}

function toUpdate(change: AlertChange): UpdateQuery<Alert> {
  const update: UpdateQuery<Alert> = { $set: change.set, $inc: { revision: 1 } };
  if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((field) => [field, 1]));
  const push: Record<string, unknown> = {};
  if (change.archive) push.versions = change.archive;
  if (change.events?.length) push.pendingEvents = { $each: change.events };
  if (Object.keys(push).length > 0) update.$push = push;
  return update;
}
