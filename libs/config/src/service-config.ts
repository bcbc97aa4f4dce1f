import { z } from 'zod';
import { httpUrl, logLevel, mongoUrl, natsUrl, port, positiveMs, smtpUrl } from './env-fields';

export type ServiceName = 'gateway' | 'alerts' | 'subscriptions' | 'delivery';

/** Settings every service reads: where NATS is, how it logs, where its health/HTTP port listens. */
const common = {
  NATS_URL: natsUrl.default('nats://127.0.0.1:4222'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: logLevel.default('info'),
  /** How long a clean shutdown may take to drain consumers and flush writes before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10_000),
};

const withDatabase = (defaultDb: string) => ({
  MONGO_URL: mongoUrl.default(`mongodb://127.0.0.1:27017/${defaultDb}`),
});

export const gatewayConfigSchema = z.object({
  ...common,
  HTTP_PORT: port.default(3000),
  /** Upper bound on any request the gateway makes to a service over NATS. */
  NATS_REQUEST_TIMEOUT_MS: positiveMs.default(2_000),
  PUBLIC_BASE_URL: httpUrl.default('http://127.0.0.1:3000'),
});

export const alertsConfigSchema = z.object({
  ...common,
  ...withDatabase('clarion_alerts'),
  HTTP_PORT: port.default(3101),
});

export const subscriptionsConfigSchema = z.object({
  ...common,
  ...withDatabase('clarion_subscriptions'),
  HTTP_PORT: port.default(3102),
});

export const deliveryConfigSchema = z.object({
  ...common,
  ...withDatabase('clarion_delivery'),
  HTTP_PORT: port.default(3103),
  SMTP_URL: smtpUrl.default('smtp://127.0.0.1:2525'),
});

export const serviceConfigSchemas = {
  gateway: gatewayConfigSchema,
  alerts: alertsConfigSchema,
  subscriptions: subscriptionsConfigSchema,
  delivery: deliveryConfigSchema,
} as const;

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
export type SubscriptionsConfig = z.infer<typeof subscriptionsConfigSchema>;
export type DeliveryConfig = z.infer<typeof deliveryConfigSchema>;
export type ServiceConfig = z.infer<(typeof serviceConfigSchemas)[ServiceName]>;
/** What the shared service kit needs from any service's config. */
export interface CommonConfig {
  NATS_URL: string;
  HTTP_HOST: string;
  HTTP_PORT: number;
  LOG_LEVEL: z.infer<typeof logLevel>;
  SHUTDOWN_TIMEOUT_MS: number;
  MONGO_URL?: string;
}
