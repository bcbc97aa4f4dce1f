import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess } from './managed-process';
import { waitFor } from './network';
import { repoRoot } from './paths';

export type ServiceName = 'gateway' | 'alerts' | 'subscriptions' | 'delivery';
/** Start order: the gateway last, so its first /health finds the others. */
export const ALL_SERVICES: ServiceName[] = ['alerts', 'subscriptions', 'delivery', 'gateway'];

export interface ServiceProcess {
  name: ServiceName;
  process: ManagedProcess;
  httpUrl: string;
  waitReady(timeoutMs?: number): Promise<void>;
  /** Stops it if running, starts it again with the same settings, and waits until ready. */
  restart(): Promise<void>;
}

function entryPoint(name: ServiceName): string {
  const file = join(repoRoot(), 'dist', 'apps', name, 'src', 'main.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm start and npm test do)`);
  return file;
}

/** A compiled service as a child process with the given environment; not started yet. */
export function serviceProcess(name: ServiceName, port: number, env: NodeJS.ProcessEnv, logFile: string): ServiceProcess {
  const process_ = new ManagedProcess({
    name,
    command: process.execPath,
    args: [entryPoint(name)],
    env: { PATH: process.env.PATH, HTTP_PORT: String(port), ...env },
    logFile,
  });
  const httpUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name,
    process: process_,
    httpUrl,
    // A bound, not an expectation: a 2-core machine under load (CI beside other work) can take over a minute to boot four services.
    waitReady: (timeoutMs = 150_000) =>
      waitFor(
        `${name} at ${httpUrl}/health/ready`,
        async () => {
          try {
            return (await fetch(`${httpUrl}/health/ready`, { signal: AbortSignal.timeout(1_000) })).ok;
          } catch {
            return false;
          }
        },
        timeoutMs,
        process_.whenExited(),
      ),
    restart: async () => {
      if (process_.running) await process_.stop();
      process_.start();
      await service.waitReady();
    },
  };
  return service;
}
