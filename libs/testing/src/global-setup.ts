// globalSetup runs outside jest's module mapper, so the path is relative.
import { ensureBinary } from '../../infra/src/binaries';

/**
 * Builds nats-server, FerretDB and promtool once before the test files run, so parallel
 * workers never race to build the same binary.
 */
export default async function globalSetup(): Promise<void> {
  const progress = (line: string) => process.stderr.write(`[harness] ${line}\n`);
  await ensureBinary('nats-server', progress);
  await ensureBinary('ferretdb', progress);
  await ensureBinary('promtool', progress);
}
