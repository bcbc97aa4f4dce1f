import { z } from 'zod';

export const componentStatus = z.object({
  status: z.enum(['up', 'down']),
  detail: z.string().optional(),
});

/** Answer to `<service>.system.health.v1`. */
export const serviceHealthV1 = z.object({
  service: z.string(),
  status: z.enum(['up', 'down']),
  components: z.record(z.string(), componentStatus),
  uptimeSeconds: z.number(),
});
export type ServiceHealth = z.infer<typeof serviceHealthV1>;

/** Answer to `<service>.system.ping.v1`. */
export const pingReplyV1 = z.object({ service: z.string(), echo: z.string(), pid: z.number() });
export type PingReply = z.infer<typeof pingReplyV1>;

/** Payloads of systemRpc: nothing asked of health; ping answers its `echo`. */
export const systemRequests = {
  health: z.object({}),
  ping: z.object({ echo: z.string().max(200).optional() }),
} as const;
