import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startFerretDb, startNatsServer, type RunningNatsServer, type RunningServer } from '@clarion/infra';

export interface TestInfra {
  dir: string;
  nats: RunningNatsServer;
  mongo: RunningServer;
  natsUrl: string;
  /** nats-server's monitoring endpoints (`/connz?subs=detail` lists every client's subscriptions). */
  natsMonitorUrl: string;
  /** A MongoDB URL for a database of its own, so test files never share data. */
  mongoUrl(database: string): string;
  stop(): Promise<void>;
}

/**
 * Real nats-server (JetStream) and FerretDB on free random ports in a fresh
 * temporary folder; `stop()` ends both and removes the folder. Needs nothing
 * running beforehand: the binaries are built into .infra/bin on first use.
 */
export async function startTestInfra(): Promise<TestInfra> {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-test-'));
  const progress = (line: string) => process.stderr.write(`[harness] ${line}\n`);
  const [nats, mongo] = await Promise.all([
    startNatsServer({ dir: join(dir, 'nats'), progress, monitorPort: await freePort() }),
    startFerretDb({ dir: join(dir, 'ferretdb'), progress }),
  ]);
  return {
    dir,
    nats,
    mongo,
    natsUrl: nats.url,
    natsMonitorUrl: nats.monitorUrl!,
    mongoUrl: (database) => `${mongo.url}/${database}`,
    stop: async () => {
      await Promise.all([nats.stop(), mongo.stop()]);
      if (!process.env.CLARION_KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A database name unique to this test file and run. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`.replace(/[^a-zA-Z0-9_]/g, '_');
}
