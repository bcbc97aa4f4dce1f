import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, NatsError, connect, type ConnectionOptions, type NatsConnection } from 'nats';
import type { BusService } from '@clarion/contracts';
import {
  busEnv,
  clarionUsers,
  ensureBusKeys,
  freePort,
  startFerretDb,
  startNatsCluster,
  startNatsServer,
  type BusKeys,
  type NatsAuth,
  type NatsCluster,
  type RunningFerretDb,
  type RunningNatsServer,
} from '@clarion/infra';
import { NATS_CLIENT_HANDSHAKE_TIMEOUT_MS, busSettings as serviceBusSettings, ensureStreams, type BusSettings } from '@clarion/messaging';
import { busAuthenticator, newBusKeyPair } from '@clarion/security';

export interface TestInfra {
  dir: string;
  /** The nats-server; with `natsCluster`, the cluster's first node. */
  nats: RunningNatsServer;
  /** Set when started with `natsCluster`: every node, to stop and start one. */
  natsCluster?: NatsCluster;
  /** FerretDB on a Unix socket (no TCP): `mongoUrl` reaches it through the socket. */
  mongo: RunningFerretDb;
  /** The server's URL; with `natsCluster`, every node's, comma-separated (as NATS_URL takes them). */
  natsUrl: string;
  /** nats-server's monitoring endpoints (`/connz?subs=detail` lists every client's subscriptions); with `natsCluster`, the first node's. */
  natsMonitorUrl: string;
  /** Copies of each stream the services should keep (JETSTREAM_REPLICAS): 1, or the cluster's size. */
  jetStreamReplicas: number;
  /** A MongoDB URL for a database of its own, so test files never share data. */
  mongoUrl(database: string): string;
  /** Every service's NKey seed and public key, and the store's key (under `<dir>/bus`). */
  bus: BusKeys;
  /** The environment a service process needs to sign in to the bus as `service`. */
  busEnv(service: BusService): NodeJS.ProcessEnv;
  /** How an in-process service (or a test acting as one) joins the bus as `service`. */
  busSettings(service: BusService): BusSettings;
  /**
   * Connection options for the test harness's own NATS user, which may publish and subscribe
   * to anything: it inspects streams and plays forgers and eavesdroppers' victims. Only test servers know it.
   */
  harnessOptions(extra?: Partial<ConnectionOptions>): ConnectionOptions;
  connectHarness(extra?: Partial<ConnectionOptions>): Promise<NatsConnection>;
  /** Creates every stream, as the services that own them would (for tests that run one service alone). */
  provisionStreams(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestInfraOptions {
  /** A JetStream cluster of this many nats-server processes (3 for the cluster fault test) instead of one server. */
  natsCluster?: number;
}

/** Handshakes the harness tries before it gives up: the services retry theirs without end (waitOnFirstConnect). */
const HARNESS_HANDSHAKE_ATTEMPTS = 3;

/**
 * A harness connection, dialled again when its handshake times out: a test process starved of CPU past the
 * server's handshake bound is cut off, which nats.js v2 reports only as this timeout. A refusal fails at once.
 */
async function connectRetryingCutHandshakes(options: ConnectionOptions): Promise<NatsConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect(options);
    } catch (error) {
      if (!(error instanceof NatsError && error.code === ErrorCode.Timeout) || attempt >= HARNESS_HANDSHAKE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Real nats-server (JetStream) on free random ports and FerretDB on a Unix socket, in a fresh
 * temporary folder; `stop()` ends both and removes the folder. Needs nothing
 * running beforehand: the binaries are built into .infra/bin on first use.
 */
export async function startTestInfra(options: TestInfraOptions = {}): Promise<TestInfra> {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-test-'));
  const progress = (line: string) => process.stderr.write(`[harness] ${line}\n`);
  const size = options.natsCluster;
  const bus = ensureBusKeys(join(dir, 'bus'));
  const harness = newBusKeyPair();
  const auth: NatsAuth = {
    users: [...clarionUsers(bus.publicKeys), { nkey: harness.publicKey, permissions: { publish: ['>'], subscribe: ['>'] } }],
    storeKey: bus.storeKey,
    routePassword: bus.routePassword,
  };
  const startNats = async (): Promise<{ nats: RunningNatsServer; natsCluster?: NatsCluster; natsUrl: string }> => {
    if (!size) {
      const nats = await startNatsServer({ dir: join(dir, 'nats'), progress, monitorPort: await freePort(), auth });
      return { nats, natsUrl: nats.url };
    }
    const natsCluster = await startNatsCluster({ dir: join(dir, 'nats'), size, progress, auth });
    return { nats: natsCluster.nodes[0].server, natsCluster, natsUrl: natsCluster.url };
  };
  const [natsStart, mongoStart] = await Promise.allSettled([startNats(), startFerretDb({ dir: join(dir, 'ferretdb'), progress })]);
  if (natsStart.status === 'rejected' || mongoStart.status === 'rejected') {
    // No server outlives a failed start: the caller has nothing to stop it with.
    if (natsStart.status === 'fulfilled') await (natsStart.value.natsCluster?.stop() ?? natsStart.value.nats.stop());
    if (mongoStart.status === 'fulfilled') await mongoStart.value.stop();
    rmSync(dir, { recursive: true, force: true });
    throw natsStart.status === 'rejected' ? natsStart.reason : (mongoStart as PromiseRejectedResult).reason;
  }
  const { nats, natsCluster, natsUrl } = natsStart.value;
  const mongo = mongoStart.value;
  const harnessOptions = (extra: Partial<ConnectionOptions> = {}): ConnectionOptions => ({
    servers: natsUrl.split(','),
    name: 'clarion-test-harness',
    authenticator: busAuthenticator(harness.seed),
    timeout: NATS_CLIENT_HANDSHAKE_TIMEOUT_MS,
    ...extra,
  });
  const busSettings = (service: BusService): BusSettings =>
    serviceBusSettings(service, {
      NATS_URL: natsUrl,
      NATS_NKEY_SEED_FILE: bus.seeds[service],
      BUS_PUBLIC_KEYS_FILE: bus.publicKeys,
    } as Parameters<typeof serviceBusSettings>[1]);
  return {
    dir,
    nats,
    natsCluster,
    mongo,
    natsUrl,
    natsMonitorUrl: nats.monitorUrl!,
    jetStreamReplicas: size ?? 1,
    mongoUrl: (database) => `${mongo.url}/${database}`,
    bus,
    busEnv: (service) => busEnv(bus, service),
    busSettings,
    harnessOptions,
    connectHarness: (extra) => connectRetryingCutHandshakes(harnessOptions(extra)),
    provisionStreams: async () => {
      const nc = await connectRetryingCutHandshakes(harnessOptions());
      try {
        await ensureStreams(await nc.jetstreamManager(), size ?? 1);
      } finally {
        await nc.close();
      }
    },
    stop: async () => {
      await Promise.all([natsCluster ? natsCluster.stop() : nats.stop(), mongo.stop()]);
      if (!process.env.CLARION_KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database name unique to this test file and run. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`.replace(/[^a-zA-Z0-9_]/g, '_');
}
