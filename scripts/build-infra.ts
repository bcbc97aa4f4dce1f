import { ensureBinary, ensureK8sSchemas, type InfraTool } from '@clarion/infra';

/** What the services and the tests run on. */
const SERVERS: InfraTool[] = ['nats-server', 'ferretdb'];
/** What only the deployment checks need: the Helm chart (helm, kubeconform, schemas) and the alerting rules (promtool). */
const CHECK_TOOLS: InfraTool[] = ['helm', 'kubeconform', 'promtool'];

/**
 * Builds (or finds) nats-server and FerretDB and, unless told `servers`, the
 * tools that check the deployment (helm, kubeconform, promtool) and the
 * Kubernetes schemas the chart is checked against; idempotent and cached in
 * .infra. All at once: the downloads overlap the compiles, which matters on a
 * fresh CI machine (docs/decisions/0032). `tools` builds only the latter, so
 * `npm test` can build them while the first test stage runs.
 */
async function main(which: string | undefined): Promise<void> {
  const started = Date.now();
  const progress = (line: string) => console.log(`infra: ${line}`);
  const tools = which === 'servers' ? SERVERS : which === 'tools' ? CHECK_TOOLS : [...SERVERS, ...CHECK_TOOLS];
  const results = await Promise.allSettled([
    ...tools.map(async (tool) => console.log(`infra: ${tool} → ${await ensureBinary(tool, progress)}`)),
    ...(which === 'servers' ? [] : [ensureK8sSchemas(progress).then((dir) => console.log(`infra: Kubernetes schemas → ${dir}`))]),
  ]);
  const failed = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  for (const { reason } of failed) console.error(`infra: ${(reason as Error).message}`);
  if (failed.length > 0) process.exit(1);
  console.log(`infra: ready in ${Math.round((Date.now() - started) / 1000)} s`);
}

const which = process.argv[2];
if (which !== undefined && which !== 'servers' && which !== 'tools') {
  console.error(`infra: unknown part ${which} (servers, tools; nothing for both)`);
  process.exit(2);
}
main(which).catch((error: Error) => {
  console.error(`infra: ${error.message}`);
  process.exit(1);
});
