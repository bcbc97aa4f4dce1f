import type { z } from 'zod';
import type { accountRequests, directoryRequests, relayRequests, supporterRequests } from '@clarion/contracts';

/** The validated payload of one `subscriptions.*` request subject. */
export type DirectoryRequest<K extends keyof typeof directoryRequests> = z.infer<(typeof directoryRequests)[K]>;
export type RelayRequest<K extends keyof typeof relayRequests> = z.infer<(typeof relayRequests)[K]>;
export type AccountRequest<K extends keyof typeof accountRequests> = z.infer<(typeof accountRequests)[K]>;
export type SupporterRequest<K extends keyof typeof supporterRequests> = z.infer<(typeof supporterRequests)[K]>;
