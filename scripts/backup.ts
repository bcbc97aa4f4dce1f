import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connect, type NatsConnection } from 'nats';
import { STREAM_OPERATOR_INBOX } from '@clarion/contracts';
import { busAuthenticator } from '@clarion/security';
import {
  backup,
  clarionUsers,
  DATABASE_SERVICES,
  dataDir,
  ensureBusKeys,
  restore,
  startFerretDb,
  startNatsServer,
  type BackupTarget,
  type DatabaseService,
  type RunningServer,
} from '@clarion/infra';

const USAGE = `usage: backup --out <dir>    (npm run backup)   |   restore --from <dir>    (npm run restore)
  the embedded default (npm start): DATA_DIR (.data) and EMBEDDED_NATS_PORT (14222) as npm start has them;
    back up while Clarion runs; restore with Clarion stopped, into a DATA_DIR without data (it starts nats-server and FerretDB itself)
  servers of your own: --nats-url <nats://host:4222> --seed-file <operator.nk> [--tls-ca <file>]
    --mongo-alerts <url> --mongo-subscriptions <url> --mongo-delivery <url>  (each service's own database URL)`;

/** The installation secrets of the embedded default that a backup carries: without them the data cannot be read again. */
const EMBEDDED_SECRETS = ['bus', 'secret-key', 'admin-token'];

async function main(): Promise<void> {
  const [command, ...argv] = process.argv.slice(2);
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      from: { type: 'string' },
      'nats-url': { type: 'string' },
      'seed-file': { type: 'string' },
      'tls-ca': { type: 'string' },
      'mongo-alerts': { type: 'string' },
      'mongo-subscriptions': { type: 'string' },
      'mongo-delivery': { type: 'string' },
    },
    strict: true,
  });
  if (command !== 'backup' && command !== 'restore') throw new Usage(`unknown command ${command ?? '(none)'}`);
  const folder = command === 'backup' ? values.out : values.from;
  if (!folder) throw new Usage(command === 'backup' ? '--out is required' : '--from is required');
  const dir = resolve(folder);

  if (values['nats-url']) {
    const mongoUrls = {} as Record<DatabaseService, string>;
    for (const service of DATABASE_SERVICES) {
      const url = values[`mongo-${service}`];
      if (!url) throw new Usage(`--mongo-${service} is required with --nats-url`);
      mongoUrls[service] = url;
    }
    if (!values['seed-file']) throw new Usage('--seed-file (the operator seed) is required with --nats-url');
    const nats = await operatorConnection(values['nats-url'], readFileSync(values['seed-file'], 'utf8').trim(), values['tls-ca']);
    await run(command, { nats, mongoUrls }, dir);
    return;
  }
  await embedded(command, dir);
}

/** The embedded default: its data folder, the operator seed npm start made, FerretDB's socket. */
async function embedded(command: 'backup' | 'restore', dir: string): Promise<void> {
  const root = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : dataDir();
  const port = Number(process.env.EMBEDDED_NATS_PORT ?? 14222);
  const started: RunningServer[] = [];
  try {
    if (command === 'restore') {
      // The keys come back first: the data is encrypted with them and the services sign in with them.
      for (const name of EMBEDDED_SECRETS) {
        const from = join(dir, 'secrets', name);
        if (!existsSync(from)) continue;
        if (existsSync(join(root, name))) throw new Error(`${join(root, name)} exists: restore into a DATA_DIR without Clarion's data (move the old one away)`);
        cpSync(from, join(root, name), { recursive: true, preserveTimestamps: true });
      }
      if (existsSync(join(root, 'nats')) && readdirSync(join(root, 'nats')).length > 0) throw new Error(`${join(root, 'nats')} holds a JetStream store: restore into a DATA_DIR without Clarion's data`);
    }
    const bus = ensureBusKeys(join(root, 'bus'));
    let natsUrl = `nats://127.0.0.1:${port}`;
    let socket = join(root, 'ferretdb', 'socket', 'ferretdb.sock');
    if (command === 'restore') {
      // Clarion is stopped: bring up its servers alone, restore, stop them; npm start takes it from there.
      const auth = { users: clarionUsers(bus.publicKeys, bus.operator.publicKey), storeKey: bus.storeKey, routePassword: bus.routePassword };
      const say = (line: string) => console.log(`restore: ${line}`);
      const nats = await startNatsServer({ dir: join(root, 'nats'), port, progress: say, auth });
      started.push(nats);
      const mongo = await startFerretDb({ dir: join(root, 'ferretdb'), progress: say });
      started.push(mongo);
      natsUrl = nats.url;
      socket = mongo.socketPath;
    } else if (!existsSync(socket)) {
      throw new Error(`no FerretDB socket at ${socket}: back up the embedded default while npm start runs`);
    }
    const mongoUrls = Object.fromEntries(DATABASE_SERVICES.map((service) => [service, `mongodb://${encodeURIComponent(socket)}/clarion_${service}`])) as Record<DatabaseService, string>;
    const nats = await operatorConnection(natsUrl, bus.operator.seed);
    await run(command, { nats, mongoUrls }, dir);
    if (command === 'backup') {
      for (const name of EMBEDDED_SECRETS) if (existsSync(join(root, name))) cpSync(join(root, name), join(dir, 'secrets', name), { recursive: true, preserveTimestamps: true });
      console.log(`backup: with the installation's keys in ${join(dir, 'secrets')}`);
    }
  } finally {
    for (const server of started.reverse()) await server.stop();
  }
}

function operatorConnection(url: string, seed: string, caFile?: string): Promise<NatsConnection> {
  return connect({
    servers: url.split(','),
    name: 'clarion-backup',
    authenticator: busAuthenticator(seed),
    inboxPrefix: STREAM_OPERATOR_INBOX,
    timeout: 10_000,
    ...(caFile ? { tls: { caFile } } : {}),
  });
}

async function run(command: 'backup' | 'restore', target: BackupTarget, dir: string): Promise<void> {
  try {
    const manifest = command === 'backup' ? await backup(target, dir) : await restore(target, dir);
    const streams = manifest.streams.map((s) => `${s.name} (${(s.state as { messages?: number }).messages ?? 0})`).join(', ');
    const documents = DATABASE_SERVICES.map((service) => `${manifest.databases[service].database} (${manifest.databases[service].collections.reduce((n, c) => n + c.documents, 0)})`).join(', ');
    console.log(`${command}: ${command === 'backup' ? 'wrote' : 'restored from'} ${dir} (taken ${manifest.takenAt})\n  streams (messages): ${streams}\n  databases (documents): ${documents}`);
  } finally {
    await target.nats.close();
  }
}

class Usage extends Error {}

main().catch((error: Error) => {
  console.error(`${process.argv[2] ?? 'backup'}: ${error.message}${error instanceof Usage ? `\n${USAGE}` : ''}`);
  process.exit(error instanceof Usage ? 2 : 1);
});
