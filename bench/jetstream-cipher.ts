import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, nkeyAuthenticator } from 'nats';
import { startNatsServer, type StoreCipher } from '@clarion/infra';
import { newBusKeyPair } from '@clarion/security';

/**
 * What JetStream's encryption at rest costs: the same stream of batch-sized
 * messages (about a 500-recipient delivery batch) published and read back
 * through a pull consumer, with the store in clear, ChaCha20-Poly1305 and
 * AES-GCM. Medians of --runs; run with `node dist/bench/jetstream-cipher.js [--messages N] [--runs N]`.
 */
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const MESSAGES = arg('messages', 2_000);
const RUNS = arg('runs', 3);
const SIZE = 60_000;
const WINDOW = 64;

async function once(cipher: StoreCipher): Promise<{ publishPerSec: number; readPerSec: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-cipher-'));
  const user = newBusKeyPair();
  const nats = await startNatsServer({
    dir,
    auth: { users: [{ nkey: user.publicKey, permissions: { publish: ['>'], subscribe: ['>'] } }], storeKey: 'bench-key-bench-key-bench-key-00', routePassword: 'x', cipher },
  });
  const nc = await connect({ servers: nats.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(user.seed)) });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'BENCH', subjects: ['bench.>'] });
    const js = nc.jetstream();
    const payload = new Uint8Array(SIZE).map((_, i) => 32 + (i % 90));
    let started = performance.now();
    for (let i = 0; i < MESSAGES; i += WINDOW) {
      await Promise.all(Array.from({ length: Math.min(WINDOW, MESSAGES - i) }, (_, j) => js.publish(`bench.${i + j}`, payload)));
    }
    const publishPerSec = MESSAGES / ((performance.now() - started) / 1000);
    await jsm.consumers.add('BENCH', { durable_name: 'reader', ack_policy: 'explicit' as never });
    const consumer = await js.consumers.get('BENCH', 'reader');
    started = performance.now();
    const messages = await consumer.consume({ max_messages: 256 });
    let read = 0;
    for await (const msg of messages) {
      msg.ack();
      if (++read === MESSAGES) break;
    }
    return { publishPerSec, readPerSec: MESSAGES / ((performance.now() - started) / 1000) };
  } finally {
    await nc.close();
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const ciphers: StoreCipher[] = ['none', 'chachapoly', 'aes'];
  const results = new Map<StoreCipher, { publish: number[]; read: number[] }>(ciphers.map((c) => [c, { publish: [], read: [] }]));
  // Interleaved, so a noisy moment on the machine falls on every cipher alike.
  for (let run = 0; run < RUNS; run++) {
    for (const cipher of ciphers) {
      const { publishPerSec, readPerSec } = await once(cipher);
      results.get(cipher)!.publish.push(publishPerSec);
      results.get(cipher)!.read.push(readPerSec);
    }
  }
  const base = results.get('none')!;
  console.log(`JetStream store, ${MESSAGES} messages of ${SIZE / 1000} kB, median of ${RUNS} runs`);
  console.log('cipher       publish msg/s  (÷ clear)   read msg/s  (÷ clear)');
  for (const cipher of ciphers) {
    const r = results.get(cipher)!;
    const p = median(r.publish);
    const q = median(r.read);
    console.log(
      `${cipher.padEnd(12)} ${p.toFixed(0).padStart(13)}  ${(p / median(base.publish)).toFixed(2).padStart(9)}  ${q.toFixed(0).padStart(11)}  ${(q / median(base.read)).toFixed(2).padStart(9)}`,
    );
  }
}

void main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
