import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startFerretDb } from '@clarion/infra';

/**
 * What one delivery's ledger write costs the embedded FerretDB, in its own
 * CPU (utime + stime from /proc) per document, for the three bulk operations
 * a batch pass can use on 1,000 ledger-shaped records: looking up ids that are
 * not there yet, inserting them, and updating them by `_id: { $in }`. Run with
 * `node dist/bench/ledger-writes.js [--batches N]`.
 */
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const BATCHES = arg('batches', 20);
const BATCH = 1_000;

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'clarion-ledger-'));
  const db = await startFerretDb({ dir });
  const pid = db.process.pid!;
  const connection = await mongoose.createConnection(`${db.url}/ledger`).asPromise();
  try {
    const deliveries = connection.collection('deliveries');
    await deliveries.createIndex({ relayId: 1, state: 1 });
    await deliveries.createIndex({ alertId: 1, orgId: 1, state: 1 });
    const cpu = { lookup: 0, insert: 0, update: 0 };
    const timed = async (what: keyof typeof cpu, work: () => Promise<unknown>) => {
      const before = cpuMs(pid);
      await work();
      cpu[what] += cpuMs(pid) - before;
    };
    for (let batch = 0; batch < BATCHES; batch++) {
      const relayId = `relay-${batch % 20}`;
      const records = Array.from({ length: BATCH }, (_, i) => ({
        _id: new mongoose.Types.ObjectId(createHash('sha256').update(`${batch} ${i}`).digest().subarray(0, 12)),
        relayId,
        alertId: 'alert',
        orgId: `org-${batch % 20}`,
        supporterId: new mongoose.Types.ObjectId().toHexString(),
        channel: i % 2 ? 'email' : 'push',
        state: 'sent',
        attempts: 1,
      }));
      const ids = records.map((record) => record._id);
      await timed('lookup', () => deliveries.find({ _id: { $in: ids }, relayId }).project({ state: 1 }).toArray());
      await timed('insert', () => deliveries.insertMany(records, { ordered: false }));
      await timed('update', () => deliveries.updateMany({ _id: { $in: ids }, relayId }, { $set: { state: 'sent', sentAt: new Date() }, $inc: { attempts: 1 } }));
    }
    const documents = BATCHES * BATCH;
    const perDocument = (ms: number) => `${((ms / documents) * 1000).toFixed(0)} µs`;
    console.log(`FerretDB CPU per ledger document (${documents.toLocaleString('en')} documents in batches of ${BATCH}):`);
    console.log(`  look up a missing id   ${perDocument(cpu.lookup)}`);
    console.log(`  insert                 ${perDocument(cpu.insert)}`);
    console.log(`  update by _id $in      ${perDocument(cpu.update)}`);
    console.log(`  insert + update ÷ lookup + insert: ${((cpu.insert + cpu.update) / (cpu.lookup + cpu.insert)).toFixed(1)}×`);
  } finally {
    await connection.close();
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
