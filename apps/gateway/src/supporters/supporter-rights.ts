import {
  deliveryRpc,
  supporterRpc,
  type ErasureView,
  type Principal,
  type SupporterExportView,
} from '@clarion/contracts';
import type { RpcClient } from '@clarion/messaging';

/** A supporter named by an admin (subscriptions checks the actor) or by their own preferences link. */
export type NamedSupporter = { actor: Principal; orgId: string; supporterId: string } | { token: string };

/**
 * Erasing takes the bus's copies with it (every stored batch that names the
 * supporter is read and written again without them): longer than an
 * interactive request's bound.
 */
export const ERASE_TIMEOUT_MS = 30_000;

/**
 * Everything held on one supporter, as one JSON document (GDPR Art. 15 and
 * 20): subscriptions answers only a caller who may see them, then delivery
 * adds its records of them.
 */
export async function exportSupporter(rpc: RpcClient, named: NamedSupporter): Promise<SupporterExportView> {
  const data = await rpc.request(supporterRpc.exportSupporter, named);
  const history = await rpc.request(deliveryRpc.supporterHistory, { orgId: data.organisation.id, supporterId: data.profile.id });
  return { exportedAt: new Date().toISOString(), ...data, deliveries: history.deliveries };
}

/** GDPR Art. 17, docs/decisions/0024: from every collection and the bus; the answer is the audit entry's id. */
export async function eraseSupporter(rpc: RpcClient, named: NamedSupporter): Promise<ErasureView> {
  return rpc.request(supporterRpc.eraseSupporter, named, ERASE_TIMEOUT_MS);
}

/** The export's file name: the organisation's and the supporter's ids, nothing personal. */
export const exportFileName = (data: SupporterExportView) => `supporter-${data.organisation.slug}-${data.profile.id}.json`;
