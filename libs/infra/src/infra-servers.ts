import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { channelNames, channels } from '@clarion/channels';
import { ensureBinary, type Progress } from './binaries';
import { ManagedProcess } from './managed-process';
import { natsServerConfig, type NatsTls, type NatsUser, type StoreCipher } from './nats-config';
import { freePort, isPortOpen, isSocketOpen, waitFor } from './network';

export interface RunningServer {
  url: string;
  process: ManagedProcess;
  /** Starts it again with the same address and data (for restart and fault tests). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  /** Folder for JetStream's files and the log. */
  dir: string;
  port?: number;
  progress?: Progress;
  /** For a cluster: this node's name, the cluster's name, its route port and the other nodes' route URLs. */
  cluster?: { name: string; serverName: string; port: number; routes: string[] };
  /** Serve the monitoring endpoints (`/connz`, `/subsz`, `/jsz`) on this port: tests read who subscribes to what there. */
  monitorPort?: number;
  readyTimeoutMs?: number;
  /** Who may connect (NKey users and their permissions), the store's encryption key and the cluster routes' password. */
  auth: NatsAuth;
  /** Clients must speak TLS with this certificate (and present their own, signed by `caFile`, when given). */
  tls?: NatsTls;
}

export interface NatsAuth {
  users: NatsUser[];
  storeKey: string;
  routePassword: string;
  cipher?: StoreCipher;
}

export interface RunningNatsServer extends RunningServer {
  port: number;
  /** `http://127.0.0.1:<monitorPort>`, when monitoring was asked for. */
  monitorUrl?: string;
}

/** Where a server is ready once it accepts a connection: a TCP port on 127.0.0.1, or a Unix socket. */
type Address = { port: number } | { socketPath: string };

async function startAndWait(process: ManagedProcess, address: Address, timeoutMs: number): Promise<void> {
  process.start();
  const [where, ready] =
    'port' in address
      ? [`port ${address.port}`, () => isPortOpen(address.port)]
      : [`socket ${address.socketPath}`, () => isSocketOpen(address.socketPath)];
  await waitFor(`${process.spec.name} on ${where}`, ready, timeoutMs, process.whenExited());
}

function running(url: string, address: Address, process: ManagedProcess, readyTimeoutMs: number): RunningServer {
  return {
    url,
    process,
    restart: async () => {
      if (process.running) await process.stop();
      await startAndWait(process, address, readyTimeoutMs);
    },
    stop: async () => {
      await process.stop();
    },
  };
}

/** A real nats-server with JetStream, storing under `dir`. */
export async function startNatsServer(options: NatsServerOptions): Promise<RunningNatsServer> {
  const binary = await ensureBinary('nats-server', options.progress);
  const port = options.port ?? (await freePort());
  const storeDir = join(options.dir, 'jetstream');
  // Only the owner reads the store, the log and the configuration (which holds the store's key).
  mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  chmodSync(options.dir, 0o700);
  const configFile = join(options.dir, 'nats-server.conf');
  const cluster = options.cluster && { ...options.cluster, password: options.auth.routePassword };
  const config = natsServerConfig({
    port,
    storeDir,
    users: options.auth.users,
    storeKey: options.auth.storeKey,
    cipher: options.auth.cipher,
    tls: options.tls,
    monitorPort: options.monitorPort,
    serverName: options.cluster?.serverName,
    cluster,
  });
  writeFileSync(configFile, config, { mode: 0o600 });
  const args = ['-c', configFile];
  const process = new ManagedProcess({ name: 'nats-server', command: binary, args, logFile: join(options.dir, 'nats-server.log') });
  const timeout = options.readyTimeoutMs ?? 15_000;
  await startAndWait(process, { port }, timeout);
  const monitorUrl = options.monitorPort ? `http://127.0.0.1:${options.monitorPort}` : undefined;
  return { ...running(`nats://127.0.0.1:${port}`, { port }, process, timeout), port, monitorUrl };
}

export interface FerretDbOptions {
  /** Folder for the SQLite files, the socket and the log; made mode 700. */
  dir: string;
  progress?: Progress;
  readyTimeoutMs?: number;
  /** How often each database's WAL is emptied (a Go duration; default 10 s). */
  walTruncateEvery?: string;
}

export interface RunningFerretDb extends RunningServer {
  /** The Unix socket FerretDB listens on; `url` is `mongodb://<this, percent-encoded>`. */
  socketPath: string;
  /** The folder of the SQLite files (one per database). */
  dataDir: string;
}

/**
 * Fields our patched FerretDB may look up through their index on an equality
 * (docs/decisions/0012): ids and keys Clarion filters by, which never hold an
 * array in any collection (MongoDB's equality would also match an array's
 * elements; the index lookup does not). Each channel's unique supporter key is one (libs/channels).
 */
const SCALAR_FIELDS = ['orgId', 'relayId', 'alertId', 'coalitionId', ...channelNames.map((name) => channels[name].key.field)];

/** Linux's limit on a Unix socket's path (sun_path is 108 bytes with the final NUL). */
const MAX_SOCKET_PATH_BYTES = 107;
/** How often the embedded FerretDB empties each database's WAL (Go duration). */
const WAL_TRUNCATE_EVERY = '10s';

/**
 * FerretDB (MongoDB wire protocol) on SQLite files under `dir`, reachable only
 * through a Unix socket in `<dir>/socket` (docs/decisions/0021): no TCP
 * listener, and the folders (mode 700), the socket and the files (mode 600,
 * FerretDB runs with umask 077) belong to the user who started it, so no other
 * local user connects or reads the data. `url` has no database: append one per
 * service. The MongoDB driver takes a socket as a host that ends in `.sock`.
 */
export async function startFerretDb(options: FerretDbOptions): Promise<RunningFerretDb> {
  const binary = await ensureBinary('ferretdb', options.progress);
  const dataDir = join(options.dir, 'sqlite');
  const socketDir = join(options.dir, 'socket');
  for (const dir of [options.dir, dataDir, socketDir]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }
  // Files an older start made world-readable; FerretDB's umask keeps new ones 600.
  for (const file of readdirSync(dataDir)) chmodSync(join(dataDir, file), 0o600);
  const socketPath = join(socketDir, 'ferretdb.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(`FerretDB's socket path ${socketPath} is longer than the ${MAX_SOCKET_PATH_BYTES} bytes a Unix socket allows; use a shorter folder`);
  }
  const ferretdb = new ManagedProcess({
    name: 'ferretdb',
    command: binary,
    // WAL with synchronous=NORMAL: a commit survives a crash of FerretDB or of anything else but the OS;
    // syncing every commit made each ledger write wait for the disk (docs/decisions/0012).
    // secure_delete overwrites what a delete or an update frees, and the WAL is emptied every few seconds once
    // its pages are in the database: an erased supporter leaves no copy in the files (docs/decisions/0024).
    args: [
      '-listen-unix',
      socketPath,
      '-sqlite-url',
      `file:${dataDir}/?_pragma=synchronous(normal)&_pragma=secure_delete(on)`,
      '-wal-truncate-every',
      options.walTruncateEvery ?? WAL_TRUNCATE_EVERY,
    ],
    env: { ...process.env, FERRETDB_SCALAR_FIELDS: SCALAR_FIELDS.join(',') },
    logFile: join(options.dir, 'ferretdb.log'),
  });
  const timeout = options.readyTimeoutMs ?? 15_000;
  await startAndWait(ferretdb, { socketPath }, timeout);
  return { ...running(`mongodb://${encodeURIComponent(socketPath)}`, { socketPath }, ferretdb, timeout), socketPath, dataDir };
}
