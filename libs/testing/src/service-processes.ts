import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, ManagedProcess, repoRoot, waitFor } from '@clarion/infra';
import type { TestInfra } from './test-infra';

export type ServiceName = 'gateway' | 'alerts' | 'subscriptions' | 'delivery';
export const ALL_SERVICES: ServiceName[] = ['alerts', 'subscriptions', 'delivery', 'gateway'];

export interface ServiceProcess {
  name: ServiceName;
  process: ManagedProcess;
  httpUrl: string;
  restart(): Promise<void>;
}

export interface Network {
  services: Record<ServiceName, ServiceProcess>;
  gatewayUrl: string;
  stopAll(): Promise<void>;
}

function entryPoint(name: ServiceName): string {
  const file = join(repoRoot(), 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` before the e2e tests (npm test does)`);
  return file;
}

async function waitReady(service: ServiceProcess, timeoutMs: number): Promise<void> {
  await waitFor(
    `${service.name} at ${service.httpUrl}/health/ready`,
    async () => {
      try {
        const res = await fetch(`${service.httpUrl}/health/ready`, { signal: AbortSignal.timeout(1_000) });
        return res.ok;
      } catch {
        return false;
      }
    },
    timeoutMs,
    service.process.whenExited(),
  );
}

/**
 * Starts the compiled services as separate processes against the harness's
 * NATS and FerretDB, each on a free HTTP port with its own database, and waits
 * until each reports ready.
 */
export async function startNetwork(
  infra: TestInfra,
  options: { services?: ServiceName[]; env?: Partial<Record<ServiceName, NodeJS.ProcessEnv>>; dbPrefix?: string } = {},
): Promise<Network> {
  const names = options.services ?? ALL_SERVICES;
  const dbPrefix = options.dbPrefix ?? `e2e_${process.pid}`;
  const services = {} as Record<ServiceName, ServiceProcess>;
  for (const name of names) {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      NATS_URL: infra.natsUrl,
      HTTP_PORT: String(port),
      LOG_LEVEL: process.env.CLARION_TEST_LOG_LEVEL ?? 'info',
      ...(name === 'gateway' ? {} : { MONGO_URL: infra.mongoUrl(`${dbPrefix}_${name}`) }),
      ...options.env?.[name],
    };
    const process_ = new ManagedProcess({
      name,
      command: process.execPath,
      args: [entryPoint(name)],
      env,
      logFile: join(infra.dir, 'logs', `${name}.log`),
    });
    const service: ServiceProcess = {
      name,
      process: process_,
      httpUrl: `http://127.0.0.1:${port}`,
      restart: async () => {
        if (process_.running) await process_.stop();
        process_.start();
        await waitReady(service, 30_000);
      },
    };
    services[name] = service;
  }
  for (const service of Object.values(services)) service.process.start();
  await Promise.all(Object.values(services).map((service) => waitReady(service, 30_000)));
  return {
    services,
    gatewayUrl: services.gateway?.httpUrl ?? '',
    stopAll: async () => {
      await Promise.all(Object.values(services).map((s) => s.process.stop()));
    },
  };
}
