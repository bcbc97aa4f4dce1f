import type { z } from 'zod';
import type { supporterRequests } from '@clarion/contracts';

/** The validated payload of one `subscriptions.supporters.*` request subject. */
export type SupporterRequest<K extends keyof typeof supporterRequests> = z.infer<(typeof supporterRequests)[K]>;
