import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where stdout and stderr go (appended), so a failure can be read afterwards. */
  logFile: string;
}

/**
 * A child process we own: started, stopped politely (SIGTERM, then SIGKILL
 * after a grace period), killed hard for fault tests, and started again with
 * the same spec.
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): this {
    if (this.running) throw new Error(`${this.spec.name} already running`);
    mkdirSync(dirname(this.spec.logFile), { recursive: true });
    const log = createWriteStream(this.spec.logFile, { flags: 'a' });
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Two sources, one file: neither may end it while the other still writes; it ends when the child's pipes close.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('close', () => log.end());
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.once('error', (error) => log.write(`spawn failed: ${error.message}\n`));
    this.child = child;
    return this;
  }

  /** Resolves with the exit code once the process is gone. */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (!this.child || !this.exited) return null;
    if (this.running) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** kill -9: no cleanup, as a crash would leave things. */
  async kill(): Promise<void> {
    if (!this.child || !this.exited) return;
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Fails fast if the process dies while we wait for it to become ready. */
  whenExited(): Promise<number | null> {
    return this.exited ?? Promise.resolve(null);
  }
}
