import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { binaryCacheDir, keepBuiltBinary, takeCachedBinary } from './binary-cache';
import { infraBinDir, repoRoot } from './paths';

/** The embedded servers, and the tools CI checks the Helm chart and the alerting rules with (docs/decisions/0031, 0032). */
export type InfraTool = 'nats-server' | 'ferretdb' | 'helm' | 'kubeconform' | 'promtool';
export const INFRA_TOOLS: readonly InfraTool[] = ['nats-server', 'ferretdb', 'helm', 'kubeconform', 'promtool'];

interface ToolSpec {
  /** Environment variable that points at a binary to use as is. */
  overrideVar: string;
  /** What `go build` builds inside infra/tools/<tool>. */
  goPackage: string;
  /** A binary on PATH is used only when its --version output contains this; none for a tool we patch. */
  pinnedVersion?: string;
  /** Fixes applied to a vendored dependency before building: patch files in the tool's folder, and the module they apply to. */
  patches?: { module: string; files: string[] };
  /** Go build tags: what the tool can leave out. */
  tags?: string[];
}

const tools: Record<InfraTool, ToolSpec> = {
  'nats-server': { overrideVar: 'NATS_SERVER_BIN', goPackage: 'github.com/nats-io/nats-server/v2', pinnedVersion: 'v2.15.' },
  ferretdb: {
    overrideVar: 'FERRETDB_BIN',
    goPackage: '.',
    // No pinnedVersion: a FerretDB on PATH lacks our fixes (docs/decisions/0012-ferretdb-sqlite-patch.md), so it is never used.
    patches: { module: 'github.com/FerretDB/FerretDB', files: ['ferretdb-sqlite.patch'] },
  },
  // No pinnedVersion: neither prints its version for --version, so one on PATH is never taken for ours.
  helm: { overrideVar: 'HELM_BIN', goPackage: 'helm.sh/helm/v4/cmd/helm' },
  kubeconform: { overrideVar: 'KUBECONFORM_BIN', goPackage: 'github.com/yannh/kubeconform/cmd/kubeconform' },
  // Checks and unit-tests the Prometheus alerting rules in deploy/observability (docs/decisions/0031).
  // remove_all_sd leaves out the cloud service-discovery plugins (AWS, Azure, GCE, …): rule tests need none, and they are most of the compile.
  promtool: { overrideVar: 'PROMTOOL_BIN', goPackage: 'github.com/prometheus/prometheus/cmd/promtool', pinnedVersion: 'version 3.16.', tags: ['remove_all_sd'] },
};

/**
 * Flags of every build: no debug information (-s -w), which is a large part
 * of linking these big binaries on a fresh CI machine, and no local paths.
 */
function buildFlags(spec: ToolSpec): string[] {
  return ['-trimpath', '-ldflags=-s -w', ...(spec.tags ? ['-tags', spec.tags.join(',')] : [])];
}

export type Progress = (line: string) => void;

/**
 * The path of a working binary for `tool`: an explicit override, the copy
 * built earlier into .infra/bin (if its sources did not change), a pinned
 * version on PATH (not for a patched tool), the same build kept in the user's
 * binary cache (binary-cache.ts), or else a fresh `go build` from the Go module proxy.
 */
export async function ensureBinary(tool: InfraTool, progress: Progress = () => undefined): Promise<string> {
  const spec = tools[tool];
  const override = process.env[spec.overrideVar];
  if (override) return override;

  const target = join(infraBinDir(), tool);
  const stampFile = `${target}.stamp`;
  const stamp = sourceStamp(tool);
  if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return target;

  const pinned = spec.pinnedVersion;
  const onPath = pinned ? findOnPath(tool) : undefined;
  if (pinned && onPath && versionOf(onPath).includes(pinned)) return onPath;

  mkdirSync(infraBinDir(), { recursive: true });
  const cacheDir = binaryCacheDir();
  const cacheName = cacheDir ? `${tool}-${buildKey(stamp)}` : '';
  if (takeCachedBinary(cacheDir, cacheName, target)) {
    progress(`${tool}: the same build, from ${cacheDir}`);
  } else {
    await goBuild(tool, spec, target, progress);
    try {
      keepBuiltBinary(cacheDir, cacheName, target);
    } catch (error) {
      progress(`${tool}: not kept in ${cacheDir} (${(error as Error).message}); the next checkout builds it again`);
    }
  }
  writeFileSync(stampFile, stamp);
  return target;
}

function toolDir(tool: InfraTool): string {
  return join(repoRoot(), 'infra', 'tools', tool);
}

/** Changes whenever the tool module's sources or pinned dependencies change, so a stale binary is rebuilt. */
function sourceStamp(tool: InfraTool): string {
  const dir = toolDir(tool);
  const hash = createHash('sha256').update(buildFlags(tools[tool]).join(' '));
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  return hash.digest('hex');
}

let goVersion: string | undefined;

/** Everything a build depends on beyond the tool's folder: the Go that builds it (asked once) and the platform it builds for. */
function buildKey(stamp: string): string {
  goVersion ??= execFileSync(goCommand(), ['env', 'GOVERSION'], { timeout: 30_000, encoding: 'utf8' }).trim();
  return createHash('sha256').update(`${stamp} ${goVersion} ${process.platform} ${process.arch}`).digest('hex').slice(0, 32);
}

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function versionOf(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { timeout: 5_000, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return '';
  }
}

export function goCommand(): string {
  const found = findOnPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
  if (!found) throw new Error('Go is needed once to build nats-server, FerretDB, helm, kubeconform and promtool into .infra/bin, and it is not on PATH');
  return found;
}

const BUILD_TIMEOUT_MS = 20 * 60_000;

function goBuild(tool: InfraTool, spec: ToolSpec, target: string, progress: Progress): Promise<void> {
  const started = Date.now();
  progress(`building ${tool} with Go into ${target} (first run only; a few minutes)`);
  const ticker = setInterval(() => progress(`  still building ${tool}… ${Math.round((Date.now() - started) / 1000)} s`), 15_000);
  const finish = (outcome: 'built' | Error) => {
    clearInterval(ticker);
    if (outcome instanceof Error) throw outcome;
    progress(`built ${tool} in ${Math.round((Date.now() - started) / 1000)} s`);
  };
  return buildSteps(tool, spec, target).then(
    () => finish('built'),
    (error: Error) => finish(error),
  );
}

/**
 * `go build` in the tool's module; with patches, in a copy whose dependencies
 * are vendored and patched first. Builds run in their own folder and the
 * binary moves into place at the end, so two builds at once (two test runs)
 * cannot trip over each other.
 */
async function buildSteps(tool: InfraTool, spec: ToolSpec, target: string): Promise<void> {
  const buildRoot = join(infraBinDir(), '..', 'build');
  mkdirSync(buildRoot, { recursive: true });
  const buildDir = mkdtempSync(join(buildRoot, `${tool}-`));
  const built = join(buildDir, tool);
  try {
    if (!spec.patches) {
      await run(tool, goCommand(), ['build', ...buildFlags(spec), '-o', built, spec.goPackage], toolDir(tool));
    } else {
      cpSync(toolDir(tool), buildDir, { recursive: true });
      await run(tool, goCommand(), ['mod', 'vendor'], buildDir);
      for (const file of spec.patches.files) {
        await run(tool, 'patch', ['--forward', '--batch', '-p1', '-d', join('vendor', spec.patches.module), '-i', join(toolDir(tool), file)], buildDir);
      }
      await run(tool, goCommand(), ['build', '-mod=vendor', ...buildFlags(spec), '-o', built, spec.goPackage], buildDir);
    }
    renameSync(built, target);
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
}

function run(tool: InfraTool, command: string, args: string[], cwd: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
      // GOGC=400: the compiler collects garbage a quarter as often; a cold build of nats-server took 19% less CPU (80 s against 99 s), for memory this machine has.
      env: { GOGC: '400', ...process.env, CGO_ENABLED: '0' },
      timeout: BUILD_TIMEOUT_MS,
    });
    child.on('error', (error) => reject(new Error(`${tool}: ${command} ${args[0]} could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${tool}: ${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}
