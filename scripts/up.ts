import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  configVariables,
  loadConfig,
  loadConfigOrExit,
  natsUrl,
  port,
  serviceConfigSchemas,
  smtpUrl,
  type DeliveryConfig,
  type SubscriptionsConfig,
} from '@clarion/config';
import {
  ALL_SERVICES,
  busEnv,
  clarionUsers,
  dataDir,
  ensureBusKeys,
  keptSecret,
  isPortOpen,
  serviceProcess,
  startFerretDb,
  startNatsServer,
  type RunningServer,
  type ServiceName,
  type ServiceProcess,
} from '@clarion/infra';
import { applyStreamConfiguration } from '@clarion/messaging';
import { newTokenSecret } from '@clarion/security';
import { PushService, SmsProvider, SmtpSink } from '@clarion/sinks';

/**
 * `npm start`: the whole network on this machine. NATS and FerretDB are
 * started here unless NATS_URL / MONGO_URL point elsewhere; the SMTP sink
 * unless SMTP_URL points elsewhere; the push service always, so the demo has
 * somewhere to deliver; the local SMS provider (Twilio's API) unless
 * SMS_ACCOUNT_SID is given, its handset replying to the gateway's webhook. Every variable a service's configuration knows is
 * passed on to it as given (PUBLIC_BASE_URL, MAIL_FROM, the rate limits,
 * NODE_EXTRA_CA_CERTS, …); only what the launcher must decide itself (where
 * NATS and each database are, the bus keys, ports) is its own.
 */
const launcherSchema = z.object({
  NATS_URL: natsUrl.optional(),
  /** A MongoDB server URL; each service gets its own database on it (clarion_<service>), whatever path it names. */
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/[^/]+/, 'must be a mongodb:// URL').optional(),
  SMTP_URL: smtpUrl.optional(),
  EMBEDDED_NATS_PORT: port.default(14222),
  GATEWAY_PORT: port.default(3000),
  SERVICE_PORT_BASE: port.default(3101),
  SMTP_SINK_PORT: port.default(2525),
  SMTP_SINK_HTTP_PORT: port.default(8025),
  PUSH_SERVICE_PORT: port.default(8090),
  SMS_PROVIDER_PORT: port.default(8095),
  /** A real SMS account (delivery's and the gateway's SMS_* then come from the environment): no local provider. */
  SMS_ACCOUNT_SID: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Where the data, keys and logs live; `.data` in the repository by default. */
  DATA_DIR: z.string().min(1).optional(),
});
type LauncherConfig = z.infer<typeof launcherSchema>;

const say = (line: string) => console.log(`clarion: ${line}`);

async function requireFree(portNumber: number, what: string, variable: string): Promise<void> {
  if (await isPortOpen(portNumber)) {
    throw new Error(`port ${portNumber} for ${what} is already in use; set ${variable} to another port`);
  }
}

/** What a service's configuration knows and this launcher was given: passed on as is. */
function givenTo(service: ServiceName): NodeJS.ProcessEnv {
  return Object.fromEntries(configVariables(service).flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));
}

/** A URL as the banner shows it: without a user or password. */
function withoutCredentials(url: string): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  return shown.toString().replace(/\/$/, '');
}

function databaseUrl(server: string, service: ServiceName): string {
  const url = new URL(server);
  url.pathname = `/clarion_${service}`;
  return url.toString();
}

/** The URL to show: a password in it stays out of the terminal. */
function withoutPassword(server: string): string {
  const url = new URL(server);
  if (url.password) url.password = '***';
  return url.toString();
}

/**
 * The installation's first admin token: made on the first start and kept in
 * .data/admin-token (mode 600); subscriptions stores only its hash, and only
 * while no admin token exists yet.
 */
function firstAdminToken(root: string): { token: string; file: string; created: boolean } {
  const file = join(root, 'admin-token');
  const { value, created } = keptSecret(file, newTokenSecret);
  return { token: value, file, created };
}

/**
 * The secret of the first admin's one-time console sign-in link: made on the
 * first start (of an installation without one) and kept in
 * .data/admin-sign-in-token (mode 600); subscriptions stores only its hash,
 * and only when it creates the first admin's account.
 */
function firstAdminSignIn(root: string): { token: string; created: boolean } {
  const { value, created } = keptSecret(join(root, 'admin-sign-in-token'), newTokenSecret);
  return { token: value, created };
}

interface Running {
  infra: RunningServer[];
  smtp?: SmtpSink;
  push?: PushService;
  sms?: SmsProvider;
  services: ServiceProcess[];
}

async function up(config: LauncherConfig, running: Running): Promise<void> {
  const root = config.DATA_DIR ?? dataDir();
  // Supporter data, keys and logs: for this user's eyes only.
  mkdirSync(join(root, 'logs'), { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  const bus = ensureBusKeys(join(root, 'bus'));

  let natsUrlInUse = config.NATS_URL;
  if (!natsUrlInUse) {
    await requireFree(config.EMBEDDED_NATS_PORT, 'the embedded nats-server', 'EMBEDDED_NATS_PORT');
    const auth = { users: clarionUsers(bus.publicKeys, bus.operator.publicKey), storeKey: bus.storeKey, routePassword: bus.routePassword };
    const nats = await startNatsServer({ dir: join(root, 'nats'), port: config.EMBEDDED_NATS_PORT, progress: say, auth });
    running.infra.push(nats);
    natsUrlInUse = nats.url;
    await applyStreamConfiguration({ url: nats.url, seed: bus.operator.seed });
  }
  let mongoServer = config.MONGO_URL;
  let mongoShown = mongoServer && withoutPassword(mongoServer);
  if (!mongoServer) {
    // On a Unix socket only, in a folder only this user can enter: no other local user reaches the data (docs/decisions/0021).
    const mongo = await startFerretDb({ dir: join(root, 'ferretdb'), progress: say });
    running.infra.push(mongo);
    mongoServer = mongo.url;
    mongoShown = `FerretDB on the Unix socket ${mongo.socketPath}`;
  }

  if (!config.SMTP_URL) {
    await requireFree(config.SMTP_SINK_PORT, 'the SMTP sink', 'SMTP_SINK_PORT');
    running.smtp = await SmtpSink.start({ smtpPort: config.SMTP_SINK_PORT, httpPort: config.SMTP_SINK_HTTP_PORT });
  }
  await requireFree(config.PUSH_SERVICE_PORT, 'the push service', 'PUSH_SERVICE_PORT');
  running.push = await PushService.start({ port: config.PUSH_SERVICE_PORT });
  const smtpUrlInUse = config.SMTP_URL ?? running.smtp!.smtpUrl;
  const smsWebhookUrl = `http://127.0.0.1:${config.GATEWAY_PORT}/webhooks/channels/sms`;
  if (!config.SMS_ACCOUNT_SID) {
    await requireFree(config.SMS_PROVIDER_PORT, 'the local SMS provider', 'SMS_PROVIDER_PORT');
    running.sms = await SmsProvider.start({ port: config.SMS_PROVIDER_PORT, webhookUrl: smsWebhookUrl });
  }
  const { sms } = running;
  // The local provider: delivery sends through it, the gateway offers SMS and checks its handset's signed replies.
  const localSms: NodeJS.ProcessEnv = sms
    ? {
        SMS_API_BASE_URL: sms.httpUrl,
        SMS_ACCOUNT_SID: sms.accountSid,
        SMS_API_SECRET: sms.authToken,
        SMS_AUTH_TOKEN: sms.authToken,
        SMS_FROM: sms.number,
        SMS_INBOUND_WEBHOOK_URL: smsWebhookUrl,
      }
    : {};

  const adminToken = firstAdminToken(root);
  const adminSignIn = firstAdminSignIn(root);
  // The installation secret (link signing, encryption at rest), unless one is given.
  const secretKey = config.SECRET_KEY ?? keptSecret(join(root, 'secret-key'), () => randomBytes(32).toString('base64url')).value;
  const ports: Record<ServiceName, number> = {
    gateway: config.GATEWAY_PORT,
    alerts: config.SERVICE_PORT_BASE,
    subscriptions: config.SERVICE_PORT_BASE + 1,
    delivery: config.SERVICE_PORT_BASE + 2,
  };
  let delivery: DeliveryConfig | undefined;
  let subscriptionsConfig: SubscriptionsConfig | undefined;
  for (const name of ALL_SERVICES) {
    await requireFree(ports[name], name, name === 'gateway' ? 'GATEWAY_PORT' : 'SERVICE_PORT_BASE');
    const env: NodeJS.ProcessEnv = {
      // What the launcher offers where nothing was given…
      LOG_LEVEL: config.LOG_LEVEL,
      SECRET_KEY: secretKey,
      PUBLIC_BASE_URL: `http://127.0.0.1:${ports.gateway}`,
      SMTP_URL: smtpUrlInUse,
      // subscriptions lets supporters join with the local push service's endpoints; delivery sends to them.
      LOCAL_PUSH_SERVICE_URL: running.push.httpUrl,
      ...localSms,
      // …what was given…
      ...givenTo(name),
      // …and what only the launcher can know: the servers it started, the bus keys it made, the ports it chose.
      NATS_URL: natsUrlInUse,
      ...busEnv(bus, name),
      ...(name === 'gateway' ? {} : { MONGO_URL: databaseUrl(mongoServer, name) }),
      ...(name === 'subscriptions' ? { BOOTSTRAP_ADMIN_TOKEN: adminToken.token, BOOTSTRAP_ADMIN_SIGN_IN_TOKEN: adminSignIn.token } : {}),
      HTTP_PORT: String(ports[name]),
    };
    const known = new Set(configVariables(name));
    for (const variable of Object.keys(env)) if (!known.has(variable)) delete env[variable];
    // A setting the service would refuse stops the launcher here, naming it, before anything starts.
    try {
      if (name === 'delivery') delivery = loadConfig(serviceConfigSchemas.delivery, env);
      else if (name === 'subscriptions') subscriptionsConfig = loadConfig(serviceConfigSchemas.subscriptions, env);
      else loadConfig(serviceConfigSchemas[name], env);
    } catch (error) {
      if (error instanceof ConfigError) throw new Error(`${name}: ${error.message}`, { cause: error });
      throw error;
    }
    running.services.push(serviceProcess(name, ports[name], env, join(root, 'logs', `${name}.log`)));
  }
  running.services.forEach((s) => s.process.start());
  await Promise.all(running.services.map((s) => s.waitReady(60_000)));
  // Where mail, push and links really go: what delivery was given.
  const { PUBLIC_BASE_URL, SMTP_URL, MAIL_FROM, LOCAL_PUSH_SERVICE_URL } = delivery!;
  const localPush =
    LOCAL_PUSH_SERVICE_URL === running.push.httpUrl
      ? `the local push service ${running.push.httpUrl}   messages: ${running.push.httpUrl}/messages`
      : `${LOCAL_PUSH_SERVICE_URL ?? 'no local push service'} (LOCAL_PUSH_SERVICE_URL)`;

  console.log(
    [
      '',
      'Clarion is up:',
      `  gateway          http://127.0.0.1:${ports.gateway}   (health: /health)`,
      `  NATS             ${natsUrlInUse}`,
      `  MongoDB          ${mongoShown}  (databases clarion_<service>)`,
      `  links            ${PUBLIC_BASE_URL}   (PUBLIC_BASE_URL: every link in a message)`,
      running.smtp && SMTP_URL === running.smtp.smtpUrl
        ? `  mail             the local SMTP sink ${running.smtp.smtpUrl}   messages: ${running.smtp.httpUrl}/messages`
        : `  mail             ${withoutCredentials(SMTP_URL)}   (SMTP_URL), from ${MAIL_FROM} (MAIL_FROM)`,
      `  push             each browser's push service (https, port 443), and ${localPush}`,
      sms
        ? `  sms              the local SMS provider ${sms.httpUrl}   texts: ${sms.httpUrl}/messages   a reply (STOP): POST ${sms.httpUrl}/replies {"from","body"}`
        : `  sms              ${delivery!.SMS_API_BASE_URL} (SMS_API_BASE_URL), account ${config.SMS_ACCOUNT_SID}`,
      `  logs             ${join(root, 'logs')}`,
      adminToken.created
        ? `  first admin token (shown once; kept in ${adminToken.file}):\n    ${adminToken.token}`
        : `  admin token      in ${adminToken.file}`,
      ...(adminSignIn.created
        ? [`  first admin sign-in (shown once; works once, for 24 hours; the account is ${subscriptionsConfig!.BOOTSTRAP_ADMIN_EMAIL}):\n    ${PUBLIC_BASE_URL.replace(/\/+$/, '')}/console/sign-in#token=${adminSignIn.token}`]
        : []),
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  for (const service of running.services) {
    void service.process.whenExited().then((code) => {
      if (!stopping) {
        say(`${service.name} exited unexpectedly (code ${code}); see ${service.process.spec.logFile}`);
        void down(running, 1);
      }
    });
  }
}

let stopping = false;

/** Services first (they drain and flush into NATS and the database), then sinks, then the infrastructure. */
async function down(running: Running, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await Promise.all(running.services.map((s) => s.process.stop()));
  await Promise.all([running.smtp?.stop(), running.push?.stop(), running.sms?.stop()]);
  await Promise.all(running.infra.map((s) => s.stop()));
  say('stopped');
  process.exit(exitCode);
}

const config = loadConfigOrExit('clarion', launcherSchema);
const running: Running = { infra: [], services: [] };
// `on`, not `once`: Ctrl-C may arrive twice (from the terminal and forwarded by npm), and a second must not kill us mid-cleanup.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void down(running, 0));
up(config, running).catch(async (error: Error) => {
  say(`failed to start: ${error.message}`);
  await down(running, 1);
});
