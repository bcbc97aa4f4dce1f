import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import webpush from 'web-push';
import type { PushSubscriptionJson } from '@clarion/sinks';
import type { Arrivals } from './arrivals';
import type { RawJob, RawReply, RawRequest } from './raw-worker';

export interface RawBaselineInput {
  workers: number;
  smtpUrl: string;
  poolSize: number;
  concurrency: number;
  emails: string[];
  pushes: PushSubscriptionJson[];
  /** Fed by the same sinks' hooks; must be fresh (empty). */
  arrivals: Arrivals;
  timeoutMs: number;
}

export interface RawBaselineOutcome {
  /** performance.now() when the senders were told to go. */
  t0: number;
  /** Peak RSS of each sender process, MB. */
  peakRssMb: number[];
}

const STOP_GRACE_MS = 5_000;

function split<T>(items: T[], parts: number, part: number): T[] {
  return items.slice(Math.floor((items.length * part) / parts), Math.floor((items.length * (part + 1)) / parts));
}

function nextReply(child: ChildProcess, type: RawReply['type']): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: RawReply) => {
      if (reply.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(reply);
    };
    const onExit = (code: number | null) => reject(new Error(`a raw baseline sender exited (code ${code}) before it said ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/**
 * The same audience sent with the raw libraries from `workers` child
 * processes (each its share of emails and pushes, both channels at once, as
 * delivery does), timed by the sinks.
 */
export async function runRawBaseline(input: RawBaselineInput): Promise<RawBaselineOutcome> {
  const vapid = { subject: 'mailto:bench@clarion.local', ...webpush.generateVAPIDKeys() };
  const children = Array.from({ length: input.workers }, () => fork(join(__dirname, 'raw-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  try {
    const ready = children.map((child) => nextReply(child, 'ready'));
    children.forEach((child, part) => {
      const job: RawJob = {
        smtpUrl: input.smtpUrl,
        poolSize: input.poolSize,
        concurrency: input.concurrency,
        emails: split(input.emails, input.workers, part),
        pushes: split(input.pushes, input.workers, part),
        vapid,
      };
      child.send({ type: 'job', job } satisfies RawRequest);
    });
    await Promise.all(ready);

    const done = children.map((child) => nextReply(child, 'done'));
    const t0 = performance.now();
    children.forEach((child) => child.send({ type: 'go' } satisfies RawRequest));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`raw baseline: not done after ${input.timeoutMs / 1000} s (email ${input.arrivals.reached('email')}/${input.emails.length}, push ${input.arrivals.reached('push')}/${input.pushes.length})`)),
        input.timeoutMs,
      );
    });
    const replies = (await Promise.race([Promise.all(done), timeout]).finally(() => clearTimeout(timer))) as Extract<RawReply, { type: 'done' }>[];
    const failed = replies.reduce((sum, reply) => sum + reply.failed.email + reply.failed.push, 0);
    if (failed > 0) throw new Error(`raw baseline: ${failed} sends failed (first: ${replies.find((r) => r.firstError)?.firstError})`);
    // A send resolves after the sink's 250/201, which comes after the sink's hook: everything is recorded by now.
    if (!input.arrivals.complete()) {
      throw new Error(`raw baseline: the sinks saw email ${input.arrivals.reached('email')}/${input.emails.length}, push ${input.arrivals.reached('push')}/${input.pushes.length}`);
    }
    return { t0, peakRssMb: replies.map((reply) => reply.maxRssKb / 1024) };
  } finally {
    await Promise.all(children.map(stopSender));
  }
}

/** A sender exits when its channel to us closes; one that does not is killed. */
async function stopSender(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
