import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBinary, type Progress } from './binaries';
import { ManagedProcess } from './managed-process';
import { natsServerConfig, type NatsTls, type NatsUser, type StoreCipher } from './nats-config';
import { freePort, isPortOpen, waitFor } from './network';

export interface RunningServer {
  url: string;
  port: number;
  process: ManagedProcess;
  /** Starts it again with the same ports and data (for restart and fault tests). */
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
  /** `http://127.0.0.1:<monitorPort>`, when monitoring was asked for. */
  monitorUrl?: string;
}

async function startAndWait(process: ManagedProcess, port: number, timeoutMs: number): Promise<void> {
  process.start();
  await waitFor(`${process.spec.name} on port ${port}`, () => isPortOpen(port), timeoutMs, process.whenExited());
}

function running(url: string, port: number, process: ManagedProcess, readyTimeoutMs: number): RunningServer {
  return {
    url,
    port,
    process,
    restart: async () => {
      if (process.running) await process.stop();
      await startAndWait(process, port, readyTimeoutMs);
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
  await startAndWait(process, port, timeout);
  const monitorUrl = options.monitorPort ? `http://127.0.0.1:${options.monitorPort}` : undefined;
  return { ...running(`nats://127.0.0.1:${port}`, port, process, timeout), monitorUrl };
}

export interface FerretDbOptions {
  /** Folder for the SQLite files and the log. */
  dir: string;
  port?: number;
  progress?: Progress;
  readyTimeoutMs?: number;
  /** How often each database's WAL is emptied (a Go duration; default 10 s). */
  walTruncateEvery?: string;
}

/**
 * Fields our patched FerretDB may look up through their index on an equality
 * (docs/decisions/0012): ids and keys Clarion filters by, which never hold an
 * array in any collection (MongoDB's equality would also match an array's
 * elements; the index lookup does not).
 */
const SCALAR_FIELDS = ['orgId', 'relayId', 'alertId', 'coalitionId', 'emailKey', 'endpointKey'];

/** How often the embedded FerretDB empties each database's WAL (Go duration). */
const WAL_TRUNCATE_EVERY = '10s';

/** FerretDB (MongoDB wire protocol) on SQLite files under `dir`. `url` has no database: append one per service. */
export async function startFerretDb(options: FerretDbOptions): Promise<RunningServer> {
  const binary = await ensureBinary('ferretdb', options.progress);
  const port = options.port ?? (await freePort());
  const dataDir = join(options.dir, 'sqlite');
  mkdirSync(dataDir, { recursive: true });
  const ferretdb = new ManagedProcess({
    name: 'ferretdb',
    command: binary,
    // WAL with synchronous=NORMAL: a commit survives a crash of FerretDB or of anything else but the OS;
    // syncing every commit made each ledger write wait for the disk (docs/decisions/0012).
    // secure_delete overwrites what a delete or an update frees, and the WAL is emptied every few seconds once
    // its pages are in the database: an erased supporter leaves no copy in the files (docs/decisions/0024).
    args: [
      '-listen-addr',
      `127.0.0.1:${port}`,
      '-sqlite-url',
      `file:${dataDir}/?_pragma=synchronous(normal)&_pragma=secure_delete(on)`,
      '-wal-truncate-every',
      options.walTruncateEvery ?? WAL_TRUNCATE_EVERY,
    ],
    env: { ...process.env, FERRETDB_SCALAR_FIELDS: SCALAR_FIELDS.join(',') },
    logFile: join(options.dir, 'ferretdb.log'),
  });
  const timeout = options.readyTimeoutMs ?? 15_000;
  await startAndWait(ferretdb, port, timeout);
  return running(`mongodb://127.0.0.1:${port}`, port, ferretdb, timeout);
}
