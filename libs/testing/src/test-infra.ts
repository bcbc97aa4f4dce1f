import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretDb, startNatsCluster, startNatsServer, type NatsCluster, type RunningNatsServer, type RunningServer } from '@clarion/infra';

export interface TestInfra {
  dir: string;
  /** The nats-server; with `natsCluster`, the cluster's first node. */
  nats: RunningNatsServer;
  /** Set when started with `natsCluster`: every node, to stop and start one. */
  natsCluster?: NatsCluster;
  mongo: RunningServer;
  /** The server's URL; with `natsCluster`, every node's, comma-separated (as NATS_URL takes them). */
  natsUrl: string;
  /** nats-server's monitoring endpoints (`/connz?subs=detail` lists every client's subscriptions); with `natsCluster`, the first node's. */
  natsMonitorUrl: string;
  /** Copies of each stream the services should keep (JETSTREAM_REPLICAS): 1, or the cluster's size. */
  jetStreamReplicas: number;
  /** A MongoDB URL for a database of its own, so test files never share data. */
  mongoUrl(database: string): string;
  stop(): Promise<void>;
}

export interface TestInfraOptions {
  /** A JetStream cluster of this many nats-server processes (3 for the cluster fault test) instead of one server. */
  natsCluster?: number;
}

/**
 * Real nats-server (JetStream) and FerretDB on free random ports in a fresh
 * temporary folder; `stop()` ends both and removes the folder. Needs nothing
 * running beforehand: the binaries are built into .infra/bin on first use.
 */
export async function startTestInfra(options: TestInfraOptions = {}): Promise<TestInfra> {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-test-'));
  const progress = (line: string) => process.stderr.write(`[harness] ${line}\n`);
  const size = options.natsCluster;
  const startNats = async (): Promise<{ nats: RunningNatsServer; natsCluster?: NatsCluster; natsUrl: string }> => {
    if (!size) {
      const nats = await startNatsServer({ dir: join(dir, 'nats'), progress, monitorPort: await freePort() });
      return { nats, natsUrl: nats.url };
    }
    const natsCluster = await startNatsCluster({ dir: join(dir, 'nats'), size, progress });
    return { nats: natsCluster.nodes[0].server, natsCluster, natsUrl: natsCluster.url };
  };
  const [{ nats, natsCluster, natsUrl }, mongo] = await Promise.all([startNats(), startFerretDb({ dir: join(dir, 'ferretdb'), progress })]);
  return {
    dir,
    nats,
    natsCluster,
    mongo,
    natsUrl,
    natsMonitorUrl: nats.monitorUrl!,
    jetStreamReplicas: size ?? 1,
    mongoUrl: (database) => `${mongo.url}/${database}`,
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
