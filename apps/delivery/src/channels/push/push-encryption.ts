import { Worker } from 'node:worker_threads';
import type { PushSubscriptionJson } from '@clarion/contracts';
import type { RequestOptions } from 'web-push';

/** A push request as web-push builds it: the headers and the payload encrypted for the subscription (RFC 8291). */
export interface EncryptedPush {
  headers: Record<string, string | number>;
  body: Buffer;
}

/**
 * The worker: web-push's own generateRequestDetails, nothing else. A string,
 * not a file, so the same code runs from the TypeScript sources (tests) and the
 * build; web-push is loaded by the path the service itself resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const webpush = require(workerData.webPushPath);
parentPort.on('message', ({ id, subscription, payload, options }) => {
  try {
    const { headers, body } = webpush.generateRequestDetails(subscription, payload, options);
    parentPort.postMessage({ id, headers, body });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});`;

type Reply = { id: number; headers: EncryptedPush['headers']; body: Uint8Array; error?: undefined } | { id: number; error: string };
type Pending = { resolve: (push: EncryptedPush) => void; reject: (error: Error) => void };

/**
 * Encrypts push payloads on a thread of its own. Each message needs a fresh
 * ECDH key pair, a shared secret and AES-GCM (RFC 8291), about half of a
 * push's CPU; on the event loop that time is taken from sending, here it
 * runs on another core. A worker that dies fails what it had (those pushes
 * are retried with their batch) and is started again on the next message.
 */
export class PushEncryption {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  encrypt(subscription: PushSubscriptionJson, payload: string, options: RequestOptions): Promise<EncryptedPush> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.running().postMessage({ id, subscription, payload, options });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { webPushPath: require.resolve('web-push') } });
    // Idle, it must not keep the process alive.
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`push encryption thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.error !== undefined) pending.reject(new Error(reply.error));
    else pending.resolve({ headers: reply.headers, body: Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength) });
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}
