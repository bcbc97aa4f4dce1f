import type { Response } from 'express';
import { z } from 'zod';
import { alertRpc, alertView, deliveryRpc, relayCountsView, relayProgressV1, relayRpc, relayView, worksFor } from '@clarion/contracts';
import { Forbidden } from '@clarion/errors';
import type { RouteContext } from '../api/api-route';
import { streamProgress } from './progress-stream';
import { decisionsOf } from './progress-totals';

const progressList = z.array(relayProgressV1);
/** Only what the stream needs of the alert and of each relay. */
const alertCoalition = alertView.pick({ id: true, coalitionId: true });
const relayDecision = relayView.pick({ alertId: true, status: true });

/**
 * Every relay of the alert, for the coalition's coordinators (and admins).
 * alerts answers 404 to anyone else, so asking it for the alert is the check;
 * what follows are counts only, no organisation's supporters.
 */
export async function coalitionProgress({ rpc, actor, params, progress }: RouteContext<{ alertId: string }, unknown, unknown>, res: Response): Promise<void> {
  const alert = alertCoalition.parse(await rpc.request<unknown>(alertRpc.get, { actor, alertId: params.alertId }));
  await streamProgress(res, progress, {
    alertId: alert.id,
    includes: () => true,
    snapshots: async () => progressList.parse(await rpc.request<unknown>(deliveryRpc.progress, { alertId: alert.id })),
    decisions: async () => {
      const { pending, approved, declined, cancelled } = relayCountsView.parse(
        await rpc.request<unknown>(relayRpc.counts, { actor, alertId: alert.id, coalitionId: alert.coalitionId }),
      );
      return { pending, approved, declined, cancelled };
    },
  });
}

/**
 * One organisation's relays of the alert, for its admins and editors.
 * Delivery is asked by organisation (its newest relays include a live
 * alert's), and the gateway keeps only this alert's.
 */
export async function organisationProgress(
  { rpc, actor, params, progress }: RouteContext<{ orgId: string; alertId: string }, unknown, unknown>,
  res: Response,
): Promise<void> {
  const { orgId, alertId } = params;
  if (!worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins and editors may follow its relays");
  await streamProgress(res, progress, {
    alertId,
    includes: (snapshot) => snapshot.orgId === orgId,
    snapshots: async () => progressList.parse(await rpc.request<unknown>(deliveryRpc.progress, { orgId })).filter((s) => s.alertId === alertId),
    decisions: async () => {
      const relays = z.array(relayDecision).parse(await rpc.request<unknown>(relayRpc.list, { actor, orgId }));
      return decisionsOf(relays.filter((relay) => relay.alertId === alertId).map((relay) => relay.status));
    },
  });
}
