import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { repoRoot } from '@clarion/infra';
import { benchRun, stopRunInProgress, type RunResult } from './bench-run';
import { medianOf } from './figures';
import { deliveryTimeoutMs, parseOptions, USAGE, UsageError, type BenchOptions } from './options';
import { progressChart } from './progress-chart';
import { chartLines, runTable, sizesTable } from './report';

/**
 * `npm run bench`: how fast Clarion reaches an audience, against the raw
 * channel libraries on the same machine, in the same run. See the
 * README's Benchmark section.
 */
const say = (line: string) => console.log(line);

function machine() {
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
}

async function measureSize(options: BenchOptions, supporters: number, stamp: string, resultsDir: string): Promise<RunResult> {
  const runs: RunResult[] = [];
  for (let run = 1; run <= options.runs; run++) {
    say(`\nbench: ${supporters.toLocaleString('en')} supporters, ${options.orgs} organisations, ${options.workers} delivery worker(s) — run ${run} of ${options.runs}`);
    const result = await benchRun({
      supporters,
      orgs: options.orgs,
      workers: options.workers,
      timeoutMs: deliveryTimeoutMs(options, supporters),
      tag: `${Date.now().toString(36)}${run}`,
      say,
    });
    runs.push(result);
    say(runTable(`run ${run} of ${options.runs}`, result));
  }
  const median = medianOf(runs);
  if (options.runs > 1) say(`\n${runTable(`median of ${options.runs} runs (each figure on its own): ${supporters.toLocaleString('en')} supporters`, median)}`);

  const base = join(resultsDir, `${stamp}-${supporters}`);
  const title = `Clarion: ${supporters.toLocaleString('en')} supporters, ${options.orgs} organisations, ${options.workers} worker(s)${options.runs > 1 ? `, median of ${options.runs} runs` : ''}`;
  writeFileSync(`${base}.json`, `${JSON.stringify({ command: process.argv.slice(2), at: new Date().toISOString(), machine: machine(), options: { ...options, supporters }, median, runs }, null, 2)}\n`);
  writeFileSync(`${base}.svg`, progressChart(title, chartLines(median)));
  say(`bench: wrote ${relative(process.cwd(), base)}.json and .svg`);
  return median;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    say(USAGE);
    return;
  }
  const resultsDir = join(repoRoot(), 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const m = machine();
  say(`bench: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}; sizes ${options.sizes.map((s) => s.toLocaleString('en')).join(', ')}; ${options.runs} run(s) each`);

  const medians: RunResult[] = [];
  for (const supporters of options.sizes) medians.push(await measureSize(options, supporters, stamp, resultsDir));
  if (options.sizes.length > 1) {
    say(`\nbench: by audience size (${options.runs > 1 ? `medians of ${options.runs} runs` : 'one run each'}; peak RSS during delivery)`);
    say(sizesTable(medians));
    writeFileSync(join(resultsDir, `${stamp}-sizes.json`), `${JSON.stringify({ command: process.argv.slice(2), machine: m, sizes: medians }, null, 2)}\n`);
  }
}

// Ctrl-C: stop the services and remove the throwaway infrastructure rather than leave them behind.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench: ${signal}, stopping…`);
    void stopRunInProgress().finally(() => process.exit(130));
  });
}

main().catch((error: Error) => {
  console.error(error instanceof UsageError ? `bench: ${error.message}\n${USAGE}` : `bench: ${error.message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
