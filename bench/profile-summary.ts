import { readFileSync } from 'node:fs';

/**
 * Where a service's busy time went, from a V8 `.cpuprofile` (bench/cpu-profile.cjs):
 * each busy sample is charged to the innermost frame on its stack that belongs
 * to a package (node_modules) or a compiled Clarion file, else to the
 * sampled native function itself. Run with
 * `node dist/bench/profile-summary.js <file.cpuprofile> [--top 25]`.
 */
interface CallFrame {
  functionName: string;
  url: string;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  startTime: number;
  endTime: number;
}

function owner({ url }: CallFrame): string | undefined {
  if (url.includes('node_modules/')) return url.split('node_modules/').pop()!.split('/')[0];
  if (url.includes('/dist/')) return url.split('/dist/').pop();
  return undefined;
}

function summarise(profile: CpuProfile, top: number): string[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const charged = new Map<string, number>();
  let busy = 0;
  for (const sample of profile.samples) {
    const leaf = nodes.get(sample)!;
    if (leaf.callFrame.functionName === '(idle)') continue;
    busy++;
    let at: number | undefined = sample;
    let found: string | undefined;
    while (at !== undefined && found === undefined) {
      found = owner(nodes.get(at)!.callFrame);
      at = parents.get(at);
    }
    const key = found ?? `(native) ${leaf.callFrame.functionName || leaf.callFrame.url}`;
    charged.set(key, (charged.get(key) ?? 0) + 1);
  }
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const lines = [`${busy.toLocaleString('en')} busy samples of ${profile.samples.length.toLocaleString('en')} (${((busy / profile.samples.length) * 100).toFixed(0)}% of ${seconds.toFixed(0)} s)`];
  for (const [key, count] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${((count / busy) * 100).toFixed(1).padStart(5)}%  ${key}`);
  return lines;
}

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/profile-summary.js <file.cpuprofile> [--top N]');
  process.exit(2);
}
const topAt = rest.indexOf('--top');
console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, topAt >= 0 ? Number(rest[topAt + 1]) : 25).join('\n'));
