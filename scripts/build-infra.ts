import { ensureBinary, ensureK8sSchemas, INFRA_TOOLS } from '@clarion/infra';

/**
 * Builds (or finds) nats-server, FerretDB, helm, kubeconform and promtool, and makes the
 * Kubernetes schemas the chart is checked against; idempotent and cached in
 * .infra. All at once: the downloads overlap the compiles, which matters on a
 * fresh CI machine (docs/decisions/0032).
 */
async function main(): Promise<void> {
  const started = Date.now();
  const progress = (line: string) => console.log(`infra: ${line}`);
  const results = await Promise.allSettled([
    ...INFRA_TOOLS.map(async (tool) => console.log(`infra: ${tool} → ${await ensureBinary(tool, progress)}`)),
    ensureK8sSchemas(progress).then((dir) => console.log(`infra: Kubernetes schemas → ${dir}`)),
  ]);
  const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  for (const { reason } of failed) console.error(`infra: ${(reason as Error).message}`);
  if (failed.length > 0) process.exit(1);
  console.log(`infra: ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: Error) => {
  console.error(`infra: ${error.message}`);
  process.exit(1);
});
