import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { connect, nkeyAuthenticator } from 'nats';
import { loadConfigOrExit, natsUrl, port, smtpUrl } from '@clarion/config';
import { STREAM_OPERATOR_INBOX } from '@clarion/contracts';
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
import { ensureStreams } from '@clarion/messaging';
import { newTokenSecret } from '@clarion/security';
import { PushService, SmtpSink } from '@clarion/sinks';

/**
 * `npm start`: the whole network on this machine. NATS and FerretDB are
 * started here unless NATS_URL / MONGO_URL point elsewhere; the SMTP sink and
 * the push service always run, so the demo has somewhere to deliver.
 */
const launcherSchema = z.object({
  NATS_URL: natsUrl.optional(),
  /** A MongoDB server URL; each service gets its own database on it (clarion_<service>), whatever path it names. */
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\/[^/]+/, 'must be a mongodb:// URL').optional(),
  SMTP_URL: smtpUrl.optional(),
  EMBEDDED_NATS_PORT: port.default(14222),
  EMBEDDED_MONGO_PORT: port.default(27117),
  GATEWAY_PORT: port.default(3000),
  SERVICE_PORT_BASE: port.default(3101),
  SMTP_SINK_PORT: port.default(2525),
  SMTP_SINK_HTTP_PORT: port.default(8025),
  PUSH_SERVICE_PORT: port.default(8090),
  LOG_LEVEL: z.string().default('info'),
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
});
type LauncherConfig = z.infer<typeof launcherSchema>;

const say = (line: string) => console.log(`clarion: ${line}`);

async function requireFree(portNumber: number, what: string, variable: string): Promise<void> {
  if (await isPortOpen(portNumber)) {
    throw new Error(`port ${portNumber} for ${what} is already in use; set ${variable} to another port`);
  }
}

function databaseUrl(server: string, service: ServiceName): string {
  const url = new URL(server);
  url.pathname = `/clarion_${service}`;
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
 * Brings the streams in line with the contracts (a new subject, a changed
 * limit) as the operator, before the services start: they may only create a
 * missing stream, never change one (natsPermissions says why).
 */
async function applyStreamConfiguration(url: string, operatorSeed: string): Promise<void> {
  const nc = await connect({
    servers: url,
    name: 'clarion-launcher',
    authenticator: nkeyAuthenticator(new TextEncoder().encode(operatorSeed)),
    inboxPrefix: STREAM_OPERATOR_INBOX,
  });
  try {
    await ensureStreams(await nc.jetstreamManager());
  } finally {
    await nc.close();
  }
}

interface Running {
  infra: RunningServer[];
  smtp?: SmtpSink;
  push?: PushService;
  services: ServiceProcess[];
}

async function up(config: LauncherConfig, running: Running): Promise<void> {
  const root = dataDir();
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
    await applyStreamConfiguration(nats.url, bus.operator.seed);
  }
  let mongoServer = config.MONGO_URL;
  if (!mongoServer) {
    await requireFree(config.EMBEDDED_MONGO_PORT, 'the embedded FerretDB', 'EMBEDDED_MONGO_PORT');
    const mongo = await startFerretDb({ dir: join(root, 'ferretdb'), port: config.EMBEDDED_MONGO_PORT, progress: say });
    running.infra.push(mongo);
    mongoServer = mongo.url;
  }

  await requireFree(config.SMTP_SINK_PORT, 'the SMTP sink', 'SMTP_SINK_PORT');
  await requireFree(config.PUSH_SERVICE_PORT, 'the push service', 'PUSH_SERVICE_PORT');
  running.smtp = await SmtpSink.start({ smtpPort: config.SMTP_SINK_PORT, httpPort: config.SMTP_SINK_HTTP_PORT });
  running.push = await PushService.start({ port: config.PUSH_SERVICE_PORT });

  const adminToken = firstAdminToken(root);
  // The installation secret (link signing, encryption at rest), unless one is given.
  const secretKey = config.SECRET_KEY ?? keptSecret(join(root, 'secret-key'), () => randomBytes(32).toString('base64url')).value;
  const ports: Record<ServiceName, number> = {
    gateway: config.GATEWAY_PORT,
    alerts: config.SERVICE_PORT_BASE,
    subscriptions: config.SERVICE_PORT_BASE + 1,
    delivery: config.SERVICE_PORT_BASE + 2,
  };
  for (const name of ALL_SERVICES) {
    await requireFree(ports[name], name, name === 'gateway' ? 'GATEWAY_PORT' : 'SERVICE_PORT_BASE');
    const env: NodeJS.ProcessEnv = {
      NATS_URL: natsUrlInUse,
      ...busEnv(bus, name),
      LOG_LEVEL: config.LOG_LEVEL,
      SECRET_KEY: secretKey,
      PUBLIC_BASE_URL: `http://127.0.0.1:${ports.gateway}`,
      ...(name === 'gateway' ? {} : { MONGO_URL: databaseUrl(mongoServer, name) }),
      ...(name === 'delivery' ? { SMTP_URL: config.SMTP_URL ?? running.smtp.smtpUrl, LOCAL_PUSH_SERVICE_URL: running.push.httpUrl } : {}),
      // subscriptions lets supporters join with the local push service's endpoints; delivery sends to them.
      ...(name === 'subscriptions' ? { BOOTSTRAP_ADMIN_TOKEN: adminToken.token, LOCAL_PUSH_SERVICE_URL: running.push.httpUrl } : {}),
    };
    running.services.push(serviceProcess(name, ports[name], env, join(root, 'logs', `${name}.log`)));
  }
  running.services.forEach((s) => s.process.start());
  await Promise.all(running.services.map((s) => s.waitReady(60_000)));

  console.log(
    [
      '',
      'Clarion is up:',
      `  gateway          http://127.0.0.1:${ports.gateway}   (health: /health)`,
      `  NATS             ${natsUrlInUse}`,
      `  MongoDB          ${mongoServer}  (databases clarion_<service>)`,
      `  mail (SMTP sink) ${running.smtp.smtpUrl}   messages: ${running.smtp.httpUrl}/messages`,
      `  push service     ${running.push.httpUrl}   messages: ${running.push.httpUrl}/messages`,
      `  logs             ${join(root, 'logs')}`,
      adminToken.created
        ? `  first admin token (shown once; kept in ${adminToken.file}):\n    ${adminToken.token}`
        : `  admin token      in ${adminToken.file}`,
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
  await Promise.all([running.smtp?.stop(), running.push?.stop()]);
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
