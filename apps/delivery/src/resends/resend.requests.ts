import { z } from 'zod';
import { objectId } from '@clarion/contracts';

/** `deliveryRpc.resendFailed`: the gateway has checked the caller coordinates the alert's coalition, or works for the organisation. */
export const resendFailedRequest = z.strictObject({ alertId: objectId, orgId: objectId.optional() });
export type ResendFailedRequest = z.infer<typeof resendFailedRequest>;
