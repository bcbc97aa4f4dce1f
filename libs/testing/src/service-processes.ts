import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ALL_SERVICES, freePort, serviceProcess, type ServiceName, type ServiceProcess } from '@clarion/infra';
import type { TestInfra } from './test-infra';

export interface Network {
  services: Record<ServiceName, ServiceProcess>;
  /** Every process started: the one in `services` for each name, then its extra replicas. */
  processes: ServiceProcess[];
  gatewayUrl: string;
  /** The installation's first admin token (given to subscriptions as BOOTSTRAP_ADMIN_TOKEN). */
  adminToken: string;
  /** The first admin's one-time console sign-in token (BOOTSTRAP_ADMIN_SIGN_IN_TOKEN; its account is admin@clarion.local). */
  adminSignInToken: string;
  stopAll(): Promise<void>;
}

export interface NetworkOptions {
  /** Extra environment for every service (e.g. the sinks' URLs). */
  commonEnv?: NodeJS.ProcessEnv;
  services?: ServiceName[];
  env?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>;
  /** Prefix of each service's database name, so test files never share data. */
  dbPrefix?: string;
  /** How many processes of a service to start (default 1); replicas share its database and queue groups, each with its own port and log (`<name>-2.log`, …). */
  replicas?: Partial<Record<ServiceName, number>>;
  /** How long each process may take to report ready (default 30 s; more on a loaded machine). */
  readyTimeoutMs?: number;
  /** The gateway's port, when a test must name its URL before the network starts (a provider's webhook); a free one by default. */
  gatewayPort?: number;
}

/**
 * Starts the compiled services as separate processes against the harness's
 * NATS (one server, or every node of a cluster) and FerretDB, each on a free
 * HTTP port with its own database, and waits until each reports ready.
 */
export async function startNetwork(infra: TestInfra, options: NetworkOptions = {}): Promise<Network> {
  const names = options.services ?? ALL_SERVICES;
  const dbPrefix = options.dbPrefix ?? `e2e_${process.pid}`;
  const services = {} as Record<ServiceName, ServiceProcess>;
  const processes: ServiceProcess[] = [];
  const adminToken = `clr_test_${randomBytes(24).toString('base64url')}`;
  const adminSignInToken = `clr_test_${randomBytes(24).toString('base64url')}`;
  const secretKey = randomBytes(32).toString('base64url');
  const gatewayPort = options.gatewayPort ?? (await freePort());
  for (const name of names) {
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'test',
      NATS_URL: infra.natsUrl,
      ...infra.busEnv(name),
      // Every service creates the streams it uses at start when missing, so all get the same number of copies.
      JETSTREAM_REPLICAS: String(infra.jetStreamReplicas),
      SECRET_KEY: secretKey,
      PUBLIC_BASE_URL: `http://127.0.0.1:${gatewayPort}`,
      LOG_LEVEL: process.env.CLARION_TEST_LOG_LEVEL ?? 'info',
      ...(name === 'gateway' ? {} : { MONGO_URL: infra.mongoUrl(`${dbPrefix}_${name}`) }),
      ...(name === 'subscriptions' ? { BOOTSTRAP_ADMIN_TOKEN: adminToken, BOOTSTRAP_ADMIN_SIGN_IN_TOKEN: adminSignInToken } : {}),
      // Many networks run at once on two cores in the suite: delivery sends with fewer connections and sends in flight
      // than its production defaults (decision 0039), so no network's bursts starve the others. The benchmark sets its own.
      ...(name === 'delivery' ? { SMTP_POOL_SIZE: '5', BATCH_CONCURRENCY: '2', SEND_CONCURRENCY: '50' } : {}),
      // The gateway's bound on a request to a service: 2 s in production; a fresh-clone CI's load (twenty runnable
      // processes on two cores) once made subscriptions answer a membership request later than that. Still under
      // the tests' own 10 s HTTP bound, so a service that is down still shows as a 503.
      // Its readiness rounds (each a request to every service, and each a ping of its database) are about 40% of
      // an idle network's CPU, and about twenty networks run in the suite: every 2 s rather than production's half
      // second. The outage scenarios, which are about how soon the gateway knows, keep production's.
      ...(name === 'gateway' ? { NATS_REQUEST_TIMEOUT_MS: '5000', READINESS_WATCH_MS: '2000' } : {}),
      ...options.commonEnv,
      ...options.env?.[name],
    };
    const port = name === 'gateway' ? gatewayPort : await freePort();
    services[name] = serviceProcess(name, port, env, join(infra.dir, 'logs', `${name}.log`));
    processes.push(services[name]);
    for (let replica = 2; replica <= (options.replicas?.[name] ?? 1); replica++) {
      processes.push(serviceProcess(name, await freePort(), env, join(infra.dir, 'logs', `${name}-${replica}.log`)));
    }
  }
  processes.forEach((service) => service.process.start());
  try {
    await Promise.all(processes.map((service) => service.waitReady(options.readyTimeoutMs)));
  } catch (error) {
    // No process outlives a failed start: the caller has nothing to stop them with.
    await Promise.all(processes.map((s) => s.process.stop()));
    throw error;
  }
  return {
    services,
    processes,
    gatewayUrl: services.gateway?.httpUrl ?? '',
    adminToken,
    adminSignInToken,
    stopAll: async () => {
      await Promise.all(processes.map((s) => s.process.stop()));
    },
  };
}
