// globalSetup runs outside jest's module mapper, so the path is relative.
import { ensureBinary } from '../../infra/src/binaries';

/**
 * Builds nats-server and FerretDB once before the test files run, so parallel
 * workers never race to build the same binary. (The deployment checks' tools
 * are built by the files that use them, or ahead by `npm test`.)
 */
export default async function globalSetup(): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[harness] ${line}\n`);
  await ensureBinary('nats-server', progress);
  await ensureBinary('ferretdb', progress);
}
