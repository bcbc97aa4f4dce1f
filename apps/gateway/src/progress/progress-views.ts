import type { Response } from 'express';
import { alertRpc, deliveryRpc, relayRpc, worksFor, type Principal } from '@clarion/contracts';
import { Forbidden } from '@clarion/errors';
import type { RpcClient } from '@clarion/messaging';
import type { ProgressFeed } from './progress-feed';
import { streamProgress } from './progress-stream';
import { decisionsOf } from './progress-totals';

/** What a progress route needs of its context (api/api-route.ts's RouteContext has it). */
interface ProgressRequest<P> {
  rpc: RpcClient;
  actor: Principal;
  params: P;
  progress: ProgressFeed;
}

/**
 * Every relay of the alert, for the coalition's coordinators (and admins).
 * alerts answers 404 to anyone else, so asking it for the alert is the check;
 * what follows are counts only, no organisation's supporters.
 */
export async function coalitionProgress({ rpc, actor, params, progress }: ProgressRequest<{ alertId: string }>, res: Response): Promise<void> {
  const alert = await rpc.request(alertRpc.get, { actor, alertId: params.alertId });
  await streamProgress(res, progress, {
    alertId: alert.id,
    includes: () => true,
    snapshots: () => rpc.request(deliveryRpc.progress, { alertId: alert.id }),
    decisions: async () => {
      const { pending, approved, declined, cancelled } = await rpc.request(relayRpc.counts, { actor, alertId: alert.id, coalitionId: alert.coalitionId });
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
  { rpc, actor, params, progress }: ProgressRequest<{ orgId: string; alertId: string }>,
  res: Response,
): Promise<void> {
  const { orgId, alertId } = params;
  if (!worksFor(actor, orgId)) throw new Forbidden("only the organisation's admins and editors may follow its relays");
  await streamProgress(res, progress, {
    alertId,
    includes: (snapshot) => snapshot.orgId === orgId,
    snapshots: async () => (await rpc.request(deliveryRpc.progress, { orgId })).filter((s) => s.alertId === alertId),
    decisions: async () => {
      const relays = await rpc.request(relayRpc.list, { actor, orgId });
      return decisionsOf(relays.filter((relay) => relay.alertId === alertId).map((relay) => relay.status));
    },
  });
}
