import { z } from 'zod';
import { objectId } from '@clarion/contracts';

/**
 * Payloads of `deliveryRpc`. No actor: the gateway authorises (a coordinator
 * asks by alert, an organisation by its own id) before it asks.
 */
export const progressRequest = z.union([z.strictObject({ alertId: objectId }), z.strictObject({ orgId: objectId })]);
export const clickRequest = z.strictObject({ token: z.string().min(1).max(500) });
