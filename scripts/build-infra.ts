import { ensureBinary } from '@clarion/infra';

/** Builds (or finds) nats-server, FerretDB and promtool; idempotent and cached in .infra/bin. */
async function main(): Promise<void> {
  const progress = (line: string) => console.log(`infra: ${line}`);
  for (const tool of ['nats-server', 'ferretdb', 'promtool'] as const) {
    console.log(`infra: ${tool} → ${await ensureBinary(tool, progress)}`);
  }
}

main().catch((error: Error) => {
  console.error(`infra: ${error.message}`);
  process.exit(1);
});
