#!/usr/bin/env node
// The front door: `npm start` and `npm test` come through here so that a fresh
// clone needs nothing but Node and Go. It installs npm packages when they are
// missing or stale, compiles the TypeScript when sources changed, then hands
// over to the compiled launcher. Plain Node with no dependencies on purpose:
// it has to run before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The long-running launcher gets our signals passed on (it may also get a
// terminal's Ctrl-C directly; it treats repeats as one) and we exit with it.
function handOver(command, args) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureNodeModules() {
  // A node_modules linked from another checkout (a git worktree beside it) is that checkout's to keep up to date.
  if (existsSync(join(root, 'node_modules')) && lstatSync(join(root, 'node_modules')).isSymbolicLink()) return;
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
    console.log('clarion: installing npm packages (npm ci)…');
    run(npm, ['ci', '--no-audit', '--no-fund']);
  }
}

function ensureBuild() {
  const stamp = join(root, 'dist', 'apps', 'gateway', 'src', 'main.js');
  const sources = Math.max(...['apps', 'libs', 'scripts', 'bench'].filter((d) => existsSync(join(root, d))).map((d) => newestMtime(join(root, d))));
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < sources) {
    console.log('clarion: compiling TypeScript…');
    run(npm, ['run', '--silent', 'build']);
  }
}

const jest = join(root, 'node_modules/.bin/jest');
const buildInfra = join(root, 'dist/scripts/build-infra.js');

/**
 * `npm test` in stages, each one jest run. The fault scenarios (processes
 * killed, servers stopped, under a fan-out of thousands, one file at a time)
 * run beside the first stage: both mostly wait on processes, the network and
 * retries, so together they take little longer than the slower alone. More
 * first-stage files run at once than there are cores (CLARION_TEST_WORKERS).
 * The deployment checks come last; their tools (helm, kubeconform, promtool)
 * are built meanwhile at a lower priority, in the CPU the tests leave idle.
 */
const TEST_STEPS = [
  [
    { name: 'unit, integration, end-to-end', args: ['--selectProjects', 'unit', 'integration', 'e2e', `--maxWorkers=${process.env.CLARION_TEST_WORKERS ?? 3}`] },
    { name: 'faults', args: ['--selectProjects', 'faults', '--runInBand'] },
  ],
  [{ name: 'deployment', args: ['--selectProjects', 'deployment'], needsTools: true }],
];

/**
 * A failed stage ends the run, and what runs beside it goes too: each child leads a process group of its own
 * (detached), which is ended whole, so the Go compiles under a build and the servers under a jest run go with it.
 */
const children = new Set();
process.on('exit', () => children.forEach((child) => endGroup(child)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function endGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

/** Runs one stage: on the terminal, or (beside another) into a log printed when it ends. */
function runStage({ name, args }, onTerminal) {
  const started = Date.now();
  const logFile = join(root, '.infra', `test-${name.replace(/[^a-z]+/g, '-')}.log`);
  const log = onTerminal ? undefined : openSync(logFile, 'w');
  console.log(`clarion: test stage "${name}"${onTerminal ? '' : ' (beside, its output when it ends)'}…`);
  const child = spawn(jest, args, { cwd: root, stdio: onTerminal ? 'inherit' : ['ignore', log, log], detached: true });
  children.add(child);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (log !== undefined) {
        closeSync(log);
        console.log(`clarion: ──── output of test stage "${name}" ────`);
        process.stdout.write(readFileSync(logFile, 'utf8'));
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      console.log(`clarion: test stage "${name}" ${code === 0 ? 'passed' : `FAILED (${signal ?? `exit ${code}`})`} in ${seconds} s`);
      resolve(code === 0);
    });
  });
}

/** Builds the deployment checks' tools in the background, its output in a log; resolves when done, with the log on failure. */
function buildToolsInBackground() {
  const logFile = join(root, '.infra', 'tools-build.log');
  const log = openSync(logFile, 'w');
  const child = spawn(process.execPath, [buildInfra, 'tools'], { cwd: root, stdio: ['ignore', log, log], detached: true });
  children.add(child);
  try {
    os.setPriority(child.pid, 10); // the tests come first; the Go compiles take what CPU they leave
  } catch {
    // Not allowed everywhere; the build then just competes as an equal.
  }
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      children.delete(child);
      closeSync(log);
      resolve(code === 0 ? undefined : readFileSync(logFile, 'utf8'));
    });
  });
}

async function runTests() {
  mkdirSync(join(root, '.infra'), { recursive: true });
  // Started first: its module downloads overlap the servers' build, which the tests wait for.
  const tools = buildToolsInBackground();
  run(process.execPath, [buildInfra, 'servers']);
  for (const step of TEST_STEPS) {
    if (step.some((stage) => stage.needsTools)) {
      const failure = await tools;
      if (failure) {
        console.error(failure);
        console.error("clarion: building the deployment checks' tools failed (above)");
        process.exit(1);
      }
    }
    const passed = await Promise.all(step.map((stage, index) => runStage(stage, index === 0)));
    if (passed.includes(false)) process.exit(1);
  }
}

const [command = 'start', ...rest] = process.argv.slice(2);
ensureNodeModules();
ensureBuild();
switch (command) {
  case 'start':
    handOver(process.execPath, [join(root, 'dist/scripts/up.js'), ...rest]);
    break;
  case 'demo':
    run(process.execPath, [buildInfra]);
    handOver(process.execPath, [join(root, 'dist/scripts/demo.js'), ...rest]);
    break;
  case 'infra':
    run(process.execPath, [buildInfra]);
    break;
  case 'nats-config':
    run(process.execPath, [join(root, 'dist/scripts/nats-config.js'), ...rest]);
    break;
  case 'nats-streams':
    run(process.execPath, [join(root, 'dist/scripts/nats-streams.js'), ...rest]);
    break;
  case 'openapi':
    run(process.execPath, [join(root, 'dist/scripts/openapi.js'), ...rest]);
    break;
  case 'backup':
  case 'restore':
    run(process.execPath, [join(root, 'dist/scripts/backup.js'), command, ...rest]);
    break;
  case 'test':
    if (rest.length) {
      run(process.execPath, [buildInfra]);
      run(jest, rest);
    } else {
      void runTests();
    }
    break;
  default:
    console.error(`clarion: unknown command ${command} (start, demo, infra, nats-config, nats-streams, openapi, backup, restore, test)`);
    process.exit(2);
}
