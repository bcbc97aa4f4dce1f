import { Injectable, Logger } from '@nestjs/common';
import type { AlertSnapshot, EventPayload, eventSubjects, FollowUp } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { AlertSnapshotRepository } from '../alert-snapshots/alert-snapshot.repository';
import type { RelayRecord } from '../relays/relay.schema';
import { RelayRepository } from '../relays/relay.repository';
import { FanOutRepository } from './fan-out.repository';
import { FanOutService } from './fan-out.service';

type AlertCancelled = EventPayload<typeof eventSubjects.alertCancelled>;

/**
 * Corrections and cancellations of a published alert, as follow-ups to the
 * relays whose original went out (docs/decisions/0028). A relay whose original
 * fan-out is still running is waited for (the event comes back later), so
 * every original batch is stored before its follow-up's; a relay that never
 * fanned out gets nothing: when it does, it sends the newest version.
 */
@Injectable()
export class FollowUpsService {
  private readonly logger = new Logger(FollowUpsService.name);

  constructor(
    private readonly relays: RelayRepository,
    private readonly snapshots: AlertSnapshotRepository,
    private readonly fanOuts: FanOutRepository,
    private readonly fanOut: FanOutService,
  ) {}

  /** alerts.updated: an update, under `update-v<version>`, to every approved relay that sent an older version. */
  async corrected(alert: AlertSnapshot): Promise<ConsumerOutcome> {
    if (alert.expiresAt && Date.parse(alert.expiresAt) <= Date.now()) return { kind: 'skipped', reason: 'alert expired' };
    const relays = await this.relays.listForAlert(alert.coalitionId, alert.alertId, ['approved']);
    return this.followUpEach(relays, alert, `update-v${alert.version}`, { kind: 'update' });
  }

  /** alerts.cancelled: a retraction to every relay that sent its original, unless the coordinator withdrew it silently. */
  async cancelled(event: AlertCancelled): Promise<ConsumerOutcome> {
    if (event.notifySupporters === false) return { kind: 'skipped', reason: 'withdrawn silently' };
    const alert = await this.snapshots.find(event.alertId);
    if (!alert) return { kind: 'retry', reason: 'alert not stored yet' };
    if (alert.expiresAt && Date.parse(alert.expiresAt) <= Date.now()) return { kind: 'skipped', reason: 'alert expired' };
    // Cancelling marks approved relays cancelled; those are the ones whose original may have gone out.
    const relays = await this.relays.listForAlert(event.coalitionId, event.alertId, ['approved', 'cancelled']);
    return this.followUpEach(relays, alert, 'retraction', { kind: 'retraction', ...(event.reason ? { reason: event.reason } : {}) });
  }

  private async followUpEach(relays: RelayRecord[], alert: AlertSnapshot, key: string, followUp: FollowUp): Promise<ConsumerOutcome> {
    let sent = 0;
    const waiting: string[] = [];
    for (const relay of relays) {
      const relayId = relay._id.toHexString();
      const original = await this.fanOuts.find(relay.orgId, relayId);
      if (!original) continue;
      if (!original.done) {
        waiting.push(relayId);
        continue;
      }
      // The original already carried this version (the relay was approved after the correction).
      if (followUp.kind === 'update' && (original.alertVersion ?? 0) >= alert.version) continue;
      const done = await this.fanOut.followUp({ ...relay, relayId }, alert, key, followUp);
      if (!done) waiting.push(relayId);
      else sent++;
    }
    this.logger.log({ alertId: alert.alertId, followUp: key, relays: relays.length, sent, waiting: waiting.length }, 'follow-ups fanned out');
    // Every relay done so far is skipped next time (its checkpoint is done); only the waiting ones are tried again.
    if (waiting.length > 0) return { kind: 'retry', reason: `${waiting.length} relays still fanning out their original` };
    return sent > 0 ? { kind: 'handled' } : { kind: 'skipped', reason: 'no relay sent an original to follow up' };
  }
}
