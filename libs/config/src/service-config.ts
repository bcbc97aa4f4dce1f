import { z } from 'zod';
import { isIP } from 'node:net';
import { channelConfigShape } from '@clarion/channels';
import {
  busPublicKeysFile,
  DEFAULT_SMTP_PORTS,
  existingFile,
  httpUrl,
  logLevel,
  msList,
  mongoUrl,
  natsUrl,
  nkeySeedFile,
  outboundAllowList,
  port,
  positiveMs,
  publicBaseUrl,
  sealingKeyFile,
  sealingPublicKey,
  smtpPorts,
  smtpUrl,
} from './env-fields';

export type ServiceName = 'gateway' | 'alerts' | 'subscriptions' | 'delivery';

/** Settings every service reads: where NATS is, how it logs, where its health/HTTP port listens. */
const common = {
  NATS_URL: natsUrl.default('nats://127.0.0.1:4222'),
  /** This service's NATS identity: a file with its NKey seed (mode 600). The server knows only the public key. */
  NATS_NKEY_SEED_FILE: nkeySeedFile,
  /** Every service's public NKey, to check whom a request comes from (docs/security.md). */
  BUS_PUBLIC_KEYS_FILE: busPublicKeysFile,
  /** TLS to NATS: the CA that signed the server's certificate, and this service's own certificate and key when the server asks for one. */
  NATS_TLS_CA_FILE: existingFile.optional(),
  NATS_TLS_CERT_FILE: existingFile.optional(),
  NATS_TLS_KEY_FILE: existingFile.optional(),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Prometheus metrics at /metrics on a port of their own (docs/decisions/0031); unset, no metrics listener. 0 picks a free port. */
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** OTLP/HTTP collector for traces (spans go to <endpoint>/v1/traces); unset, no spans are recorded, though trace ids still travel and are logged. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  LOG_LEVEL: logLevel.default('info'),
  /** How long a clean shutdown may take to drain consumers and flush writes before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: positiveMs.default(10_000),
  /**
   * Copies of each JetStream stream (and its consumers) across a NATS cluster. Every service
   * creates or updates the streams at start, so all must be given the same value.
   */
  JETSTREAM_REPLICAS: z.coerce
    .number({ message: 'must be a whole number from 1 to 5' })
    .int('must be a whole number from 1 to 5')
    .min(1, 'must be a whole number from 1 to 5')
    .max(5, 'must be a whole number from 1 to 5 (JetStream keeps at most 5 copies)')
    .default(1),
  /**
   * Extra certificate authorities Node trusts (a private CA of the SMTP relay or the NATS servers).
   * Node reads it itself at start; named here so a missing file stops the boot and `npm start` passes it on.
   */
  NODE_EXTRA_CA_CERTS: existingFile.optional(),
};

/**
 * The installation secret: link-signing and at-rest encryption keys are derived from it.
 * The default exists so a developer's first `npm start` works; services warn when it is in use,
 * and docker-compose refuses to start without a real one.
 */
export const DEVELOPMENT_SECRET_KEY = 'clarion-development-secret-key-not-for-production';
const secretKey = { SECRET_KEY: z.string().min(32, 'must be at least 32 characters').default(DEVELOPMENT_SECRET_KEY) };

/**
 * Delivery's public key for sender secrets (docs/decisions/0020): the gateway seals an organisation's
 * SMTP password with it, subscriptions its VAPID private keys; only delivery can open them.
 */
const senderSecretsSealing = { SENDER_SECRETS_PUBLIC_KEY: sealingPublicKey };

/**
 * Where organisations' settings and supporters' browsers may make Clarion
 * connect (docs/decisions/0023): public addresses only, SMTP on SMTP_PORTS,
 * push on https port 443, except the servers allow-listed here.
 */
const outbound = {
  OUTBOUND_ALLOW_LIST: outboundAllowList.default(() => []),
  SMTP_PORTS: smtpPorts.default(() => [...DEFAULT_SMTP_PORTS]),
};

const withDatabase = (defaultDb: string) => ({
  MONGO_URL: mongoUrl.default(`mongodb://127.0.0.1:27017/${defaultDb}`),
});

/** Requests per minute from one client address; 0 is unlimited. */
const perMinute = z.coerce
  .number({ message: 'must be a whole number of requests per minute (0: unlimited)' })
  .int('must be a whole number of requests per minute (0: unlimited)')
  .min(0, 'must be 0 (unlimited) or more requests per minute')
  .max(1_000_000, 'must be at most 1000000 requests per minute');

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUSTED_PROXIES_FORMAT = 'must be IP addresses, CIDR ranges (10.0.0.0/8) or loopback, linklocal, uniquelocal, separated by commas';

/** One entry of Express's `trust proxy` list: a name, an address, or a range. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The proxies in front of the gateway whose X-Forwarded-For is believed
 * (Express's `trust proxy`: the client is the last address not in this
 * list). Unset: none, the client is the connection's own address.
 */
const trustedProxies = z.string().transform((value, ctx) => {
  const entries = value.split(',').map((part) => part.trim()).filter(Boolean);
  const bad = entries.find((entry) => !isProxyEntry(entry));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `${TRUSTED_PROXIES_FORMAT}; "${bad}" is not one` });
    return z.NEVER;
  }
  return entries;
});

export const gatewayConfigSchema = z.object({
  ...common,
  ...secretKey,
  ...senderSecretsSealing,
  HTTP_PORT: port.default(3000),
  /** Upper bound on any request the gateway makes to a service over NATS. */
  NATS_REQUEST_TIMEOUT_MS: positiveMs.default(2_000),
  /**
   * Pause between two rounds of the gateway's readiness checks of every service: a database or NATS going
   * away is known about this long later (plus a round), and requests for that service answer 503 at once.
   * Each round asks every service over NATS and each pings its database, so a shorter pause costs CPU.
   */
  READINESS_WATCH_MS: positiveMs.default(500),
  PUBLIC_BASE_URL: publicBaseUrl.default('http://127.0.0.1:3000'),
  /** See trustedProxies; the client address is what the limits below count by. */
  TRUSTED_PROXIES: trustedProxies.default(() => []),
  /**
   * Public writes (join, push subscribe, confirm, unsubscribe, preferences)
   * per minute from one client address, across every gateway
   * (docs/decisions/0022). A person needs two or three; a carrier's NAT puts
   * many behind one address.
   */
  PUBLIC_WRITES_PER_MINUTE: perMinute.default(20),
  /** API requests per minute from one client address, across every gateway. */
  API_REQUESTS_PER_MINUTE: perMinute.default(3_000),
  /**
   * The Amazon SNS topics whose messages POST /webhooks/ses takes (comma-separated ARNs): an SNS signature
   * proves only that SNS sent a message, and anyone can make a topic. Unset: the SES webhook is off (404).
   */
  SES_SNS_TOPIC_ARNS: z
    .string()
    .transform((value) => value.split(',').map((arn) => arn.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be SNS topic ARNs, comma-separated')))
    .default(() => []),
  /**
   * Hosts an SNS signing certificate and a SubscribeURL may be on (https only), as a regular expression over
   * the host name. Amazon's by default; a test points it at its own server.
   */
  SNS_CERT_HOST_PATTERN: z
    .string()
    .refine(isRegExp, 'must be a regular expression')
    .default(String.raw`^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$`),
  /** Postmark's bounce and spam-complaint webhook: the password of its basic auth, or the last part of its URL. Unset: off (404). */
  POSTMARK_WEBHOOK_SECRET: z.string().min(24, 'must be at least 24 characters').optional(),
  /** Each channel's own settings (libs/channels: SMS_*). */
  ...channelConfigShape('gateway'),
});

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

export const alertsConfigSchema = z.object({
  ...common,
  ...withDatabase('clarion_alerts'),
  HTTP_PORT: port.default(3101),
});

/** A small positive count: pool sizes and concurrency limits. */
const positiveCount = z.coerce
  .number({ message: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1_000, 'must be at most 1000');

export const subscriptionsConfigSchema = z.object({
  ...common,
  ...secretKey,
  ...senderSecretsSealing,
  ...withDatabase('clarion_subscriptions'),
  HTTP_PORT: port.default(3102),
  /** Secret of the first admin token, created at the first start; without it a random one is printed once. */
  BOOTSTRAP_ADMIN_TOKEN: z.string().min(24).optional(),
  /** Where supporters reach the gateway: the link in a confirmation email points there. */
  PUBLIC_BASE_URL: publicBaseUrl.default('http://127.0.0.1:3000'),
  /** The embedded local push service: the only push origin a supporter may join with over plain http or on this machine. */
  LOCAL_PUSH_SERVICE_URL: httpUrl.optional(),
  ...outbound,
  /** Recipients per delivery batch (the batch contract allows at most 1000). */
  FAN_OUT_BATCH_SIZE: positiveCount.default(500),
  /**
   * At most one confirmation email per address and organisation in this long,
   * however often it is joined (docs/decisions/0022): a join page cannot be
   * used to flood someone's mailbox.
   */
  CONFIRMATION_EMAIL_WINDOW_MS: positiveMs.default(24 * 60 * 60_000),
  /** How long a confirmation link stays good (it is also used once, and only while it answers the latest join). */
  CONFIRMATION_LINK_TTL_MS: positiveMs.default(48 * 60 * 60_000),
  /** The first admin's console account (created with the first admin token): where sign-in links for it go. */
  BOOTSTRAP_ADMIN_EMAIL: z.string().trim().toLowerCase().email('must be an email address, e.g. admin@example.org').default('admin@clarion.local'),
  /** Secret of the first admin's one-time sign-in link (the launcher prints the link); without it a random one is printed once. */
  BOOTSTRAP_ADMIN_SIGN_IN_TOKEN: z.string().min(24).max(200).optional(),
  /** A console session ends after this long without a request. */
  SESSION_IDLE_MS: positiveMs.default(8 * 60 * 60_000),
  /** A console session ends after this long however active it is; signing in again starts a new one. */
  SESSION_MAX_AGE_MS: positiveMs.default(7 * 24 * 60 * 60_000),
  /** How long before a review's deadline its organisation's staff are reminded that it waits. */
  REVIEW_REMINDER_BEFORE_MS: positiveMs.default(10 * 60_000),
});

/** Sends per second; 0 is unlimited. */
const MAX_SEND_RATE = 1_000_000;
const sendRate = z.coerce
  .number({ message: 'must be a whole number of sends per second (0: unlimited)' })
  .int('must be a whole number of sends per second (0: unlimited)')
  .min(0, 'must be 0 (unlimited) or more sends per second')
  .max(MAX_SEND_RATE, `must be at most ${MAX_SEND_RATE} sends per second`);

const PROVIDER_RATES_FORMAT = 'must be provider=rate pairs separated by commas, e.g. gmail.com=100,fcm.googleapis.com=500,*=0';
/** A mail domain or a push service's host (with a port when it is not the default), or `*`. */
const PROVIDER_NAME = /^(\*|[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?)$/;

/**
 * How delivery names a provider: a recipient's mail domain, or a push
 * endpoint's host (its origin without the scheme), lower case. An origin
 * written as a URL (https://fcm.googleapis.com) is taken by its host.
 */
export function providerName(text: string): string {
  const name = text.trim().toLowerCase();
  if (!name.includes('://')) return name;
  try {
    return new URL(name).host;
  } catch {
    return name;
  }
}

/**
 * `gmail.com=100,fcm.googleapis.com=500,*=20` → sends per second per
 * provider; `*` is the rate of each provider not named (0 or absent: those
 * are unlimited).
 */
const providerSendRates = z.string().transform((value, ctx) => {
  const rates: Record<string, number> = {};
  const problem = (why: string) => {
    ctx.addIssue({ code: 'custom', message: `${PROVIDER_RATES_FORMAT}; ${why}` });
    return z.NEVER;
  };
  for (const pair of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    if (at < 0) return problem(`"${pair}" has no =rate`);
    const name = providerName(pair.slice(0, at));
    const rate = pair.slice(at + 1).trim();
    if (!PROVIDER_NAME.test(name)) return problem(`"${pair.slice(0, at).trim()}" is not a mail domain, a push service host or *`);
    if (!/^\d+$/.test(rate) || Number(rate) > MAX_SEND_RATE) return problem(`the rate of ${name} must be a whole number of sends per second from 0 to ${MAX_SEND_RATE}`);
    if (name in rates) return problem(`${name} is named twice`);
    rates[name] = Number(rate);
  }
  return rates;
});

const webhookOrigins = z.string().transform((value, ctx) => {
  const origins: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin + '/' !== url.href.replace(/\/?$/, '/')) {
      ctx.addIssue({ code: 'custom', message: `must be origins (http://host:port), comma-separated; "${entry}" is not one` });
      return z.NEVER;
    }
    origins.push(url.origin);
  }
  return origins;
});

export const deliveryConfigSchema = z.object({
  ...common,
  ...secretKey,
  ...withDatabase('clarion_delivery'),
  HTTP_PORT: port.default(3103),
  /**
   * Delivery's private key(s) for opening sender secrets (VAPID private keys, SMTP passwords), which
   * the gateway and subscriptions seal to its public key: a mode-600 PEM file only delivery reads.
   */
  SENDER_SECRETS_KEY_FILE: sealingKeyFile,
  SMTP_URL: smtpUrl.default('smtp://127.0.0.1:2525'),
  /** Where supporters reach the gateway: every link in a message points there. */
  PUBLIC_BASE_URL: publicBaseUrl.default('http://127.0.0.1:3000'),
  /** The network's sender address; the display name is the organisation's sender name. */
  MAIL_FROM: z.string().email('must be an email address, e.g. alerts@clarion.local').default('alerts@clarion.local'),
  /** The embedded local push service: the only push origin that may be plain http or on this machine. */
  LOCAL_PUSH_SERVICE_URL: httpUrl.optional(),
  ...outbound,
  /** Bound on one request to a push service. */
  PUSH_TIMEOUT_MS: positiveMs.default(10_000),
  /**
   * Open connections per SMTP server. Each message waits for the server's
   * replies, so sending is bounded by connections × round trips: on the
   * benchmark, 20 sent ~15% more than 10 and ~45% more than 5. Lower it for a
   * server that limits connections per client.
   */
  SMTP_POOL_SIZE: positiveCount.default(20),
  /** Delivery batches one worker handles at once, so some send while others read or write the ledger (measured: 4 over 2, +25%). */
  BATCH_CONCURRENCY: positiveCount.default(4),
  /** Messages sent in parallel within one batch. */
  SEND_CONCURRENCY: positiveCount.default(100),
  /**
   * How long a batch held by a worker that died (kill -9, lost machine) waits
   * before another worker gets it. A live worker extends it while it works
   * (every quarter of it), so a slow batch is never handed out twice.
   */
  BATCH_ACK_WAIT_MS: positiveMs.default(120_000),
  /**
   * The longest one pass over a batch may take before the worker abandons it
   * and the batch goes back to the queue: past every bound of a pass's own
   * steps (a send 150 s, a rate-limit wait 60 s, the ledger write 60 s), so
   * only a call that never returns reaches it; without it, that pass's
   * heartbeat would keep its batch from every worker for good.
   */
  BATCH_PASS_DEADLINE_MS: positiveMs.default(600_000),
  /**
   * Waits before a batch with sends worth retrying comes back, one per retry:
   * a quick first retry (a blip), then long enough for greylisting SMTP servers
   * and rate-limited push services. A batch is tried once more than it names.
   */
  RETRY_BACKOFF_MS: msList.default([1_000, 15_000, 60_000, 300_000]),
  /**
   * How long a worker keeps an organisation's sender identity (name, keys, own SMTP server):
   * a change reaches the batches sent after that. 0 asks subscriptions for every batch.
   */
  SENDER_IDENTITY_TTL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 or more')
    .default(60_000),
  /**
   * While subscriptions does not answer, how long a worker goes on sending with the sender identity it last had,
   * so a crisis call keeps going out through a subscriptions restart. 0: never; batches wait for subscriptions.
   */
  SENDER_IDENTITY_STALE_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be 0 or more')
    .default(30 * 60_000),
  /**
   * Sends per second of one organisation, all channels together, across every
   * delivery worker (docs/decisions/0014). 0: unlimited, the default, so a
   * crisis call goes out as fast as the channels take it unless an operator
   * asks otherwise.
   */
  ORG_SEND_RATE_PER_SEC: sendRate.default(0),
  /**
   * Sends per second per provider across every worker: a recipient's mail
   * domain (mailbox providers throttle per sending IP and domain) or a push
   * service's host. Unset: unlimited.
   */
  PROVIDER_SEND_RATES: providerSendRates.default(() => ({})),
  /** Bound on one webhook post, connection and answer together (docs/decisions/0029). */
  WEBHOOK_TIMEOUT_MS: positiveMs.max(60_000, 'must be at most 60000 ms').default(10_000),
  /**
   * Waits before a webhook that failed is posted again, one per retry: a
   * webhook is tried once more than the list is long, then given up and
   * marked failed in its endpoint's delivery log. Default: about 8.5 hours in all.
   */
  WEBHOOK_RETRY_BACKOFF_MS: msList.default([10_000, 60_000, 300_000, 1_800_000, 7_200_000, 21_600_000]),
  /**
   * Origins that may receive webhooks over plain http or on a private address
   * (a receiver inside the installation's network; the tests). Everything
   * else must be https on port 443 to a public address, as push endpoints.
   */
  WEBHOOK_HTTP_ORIGINS: webhookOrigins.default(() => []),
  /** Each channel's own settings (libs/channels: SMS_*). */
  ...channelConfigShape('delivery'),
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
  NATS_NKEY_SEED_FILE: string;
  BUS_PUBLIC_KEYS_FILE: Record<ServiceName, string>;
  NATS_TLS_CA_FILE?: string;
  NATS_TLS_CERT_FILE?: string;
  NATS_TLS_KEY_FILE?: string;
  HTTP_HOST: string;
  HTTP_PORT: number;
  METRICS_PORT?: number;
  METRICS_HOST: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  LOG_LEVEL: z.infer<typeof logLevel>;
  SHUTDOWN_TIMEOUT_MS: number;
  JETSTREAM_REPLICAS: number;
  NODE_EXTRA_CA_CERTS?: string;
  MONGO_URL?: string;
}

/**
 * Every variable a service's configuration knows, from its schema: what a
 * launcher passes through to it (`npm start`), so a setting given to the
 * launcher is never silently dropped.
 */
export function configVariables(service: ServiceName): string[] {
  return Object.keys(serviceConfigSchemas[service].shape);
}
