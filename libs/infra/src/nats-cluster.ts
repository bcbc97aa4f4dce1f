import { join } from 'node:path';
import type { Progress } from './binaries';
import { startNatsServer, type NatsAuth, type RunningNatsServer } from './infra-servers';
import { freePort, waitFor } from './network';

export interface NatsClusterNode {
  /** The node's server name (`n1`, `n2`, …): what JetStream reports as a stream's leader or replica. */
  name: string;
  url: string;
  monitorUrl: string;
  server: RunningNatsServer;
  readonly running: boolean;
  /** SIGTERM (nats-server shuts down cleanly). */
  stop(): Promise<void>;
  /** kill -9: no clean shutdown, as a crash would leave it. */
  kill(): Promise<void>;
  /** Starts it again with the same ports, store folder and routes, and waits until its JetStream is current (`/healthz`). */
  start(): Promise<void>;
}

export interface NatsCluster {
  nodes: NatsClusterNode[];
  /** Every node's client URL. */
  urls: string[];
  /** The URLs comma-separated, as NATS_URL takes a cluster. */
  url: string;
  /** The node with this server name. */
  node(name: string): NatsClusterNode;
  /** Resolves once every running node answers `/healthz` with 200: JetStream on, a meta leader known, its streams current. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  /** Each node stores under `<dir>/<name>` (JetStream files and its log). */
  dir: string;
  /** Nodes (default 3: the fewest where JetStream keeps a quorum with one node down). */
  size?: number;
  progress?: Progress;
  readyTimeoutMs?: number;
  auth: NatsAuth;
}

async function healthy(monitorUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${monitorUrl}/healthz`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/**
 * A JetStream cluster of local nats-server processes on free ports, each with
 * its own store folder, routes to every other node and monitoring (for
 * `/healthz`). Resolves once every node reports JetStream healthy.
 */
export async function startNatsCluster(options: NatsClusterOptions): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const timeout = options.readyTimeoutMs ?? 30_000;
  const clusterName = 'clarion';
  const ports: { client: number; route: number; monitor: number }[] = [];
  // Asked one at a time, so no port is handed out twice while the OS still reports it free.
  for (let i = 0; i < size; i++) ports.push({ client: await freePort(), route: await freePort(), monitor: await freePort() });
  const routeUrl = (i: number) => `nats://127.0.0.1:${ports[i].route}`;

  const servers = await Promise.all(
    ports.map((port, i) =>
      startNatsServer({
        dir: join(options.dir, `n${i + 1}`),
        port: port.client,
        monitorPort: port.monitor,
        progress: options.progress,
        readyTimeoutMs: timeout,
        auth: options.auth,
        cluster: { name: clusterName, serverName: `n${i + 1}`, port: port.route, routes: ports.map((_, j) => routeUrl(j)).filter((_, j) => j !== i) },
      }),
    ),
  );

  const nodes: NatsClusterNode[] = servers.map((server, i) => {
    const monitorUrl = server.monitorUrl!;
    const name = `n${i + 1}`;
    return {
      name,
      url: server.url,
      monitorUrl,
      server,
      get running() {
        return server.process.running;
      },
      stop: () => server.stop(),
      kill: () => server.process.kill(),
      start: async () => {
        await server.restart();
        await waitFor(`nats-server ${name} JetStream healthy`, () => healthy(monitorUrl), timeout, server.process.whenExited());
      },
    };
  });

  const waitHealthy = async (timeoutMs = timeout) => {
    await Promise.all(
      nodes
        .filter((node) => node.running)
        .map((node) => waitFor(`nats-server ${node.name} JetStream healthy`, () => healthy(node.monitorUrl), timeoutMs, node.server.process.whenExited())),
    );
  };

  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((node) => node.url),
    url: nodes.map((node) => node.url).join(','),
    node: (name) => {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no node ${name} in the NATS cluster (${nodes.map((node) => node.name).join(', ')})`);
      return found;
    },
    waitHealthy,
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
  try {
    await waitHealthy();
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
