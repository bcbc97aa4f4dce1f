import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { AckPolicy, type NatsConnection } from 'nats';
import { knownStreamNames } from '@clarion/contracts';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { backup, DATABASE_SERVICES, restore, type BackupTarget, type DatabaseService } from './backup';

/**
 * backup() and restore() against the real servers, without the services:
 * stream messages and a durable consumer's acknowledged position survive a
 * wipe, and so do documents (with types Extended JSON must keep: dates,
 * ObjectIds, binary) and indexes. The full drill with the services is
 * test/backup-restore.e2e-spec.ts.
 */
describe('backup and restore', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let dir: string;
  let target: BackupTarget;
  const prefix = `backup_${process.pid}`;

  beforeAll(async () => {
    infra = await startTestInfra();
    await infra.provisionStreams();
    nc = await infra.connectHarness();
    dir = join(mkdtempSync(join(tmpdir(), 'clarion-backup-')), 'b');
    const mongoUrls = Object.fromEntries(DATABASE_SERVICES.map((s) => [s, infra.mongoUrl(`${prefix}_${s}`)])) as Record<DatabaseService, string>;
    target = { nats: nc, mongoUrls };
  }, 120_000);

  afterAll(async () => {
    await nc?.close();
    await infra?.stop();
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('brings back stream messages, a consumer’s position, documents and indexes after a wipe', async () => {
    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    for (let i = 0; i < 5; i++) await js.publish(`deadletter.test.${i}`, new TextEncoder().encode(`m${i}`));
    await jsm.consumers.add('DEAD_LETTER', { durable_name: 'drill', ack_policy: AckPolicy.Explicit });
    const consumer = await js.consumers.get('DEAD_LETTER', 'drill');
    for (let i = 0; i < 2; i++) (await consumer.next({ expires: 5_000 }))!.ack();
    await nc.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const id = new mongoose.Types.ObjectId();
    const at = new Date('2026-12-07T00:00:00Z');
    const db = await mongoose.createConnection(target.mongoUrls.delivery).asPromise();
    await db.collection('deliveries').insertOne({ _id: id, at, key: Buffer.from('secret'), n: 3 } as never);
    await db.collection('deliveries').createIndex({ n: 1 }, { name: 'by_n' });

    const manifest = await backup(target, dir);
    expect(manifest.streams.find((s) => s.name === 'DEAD_LETTER')?.state).toMatchObject({ messages: 5 });

    for (const name of knownStreamNames()) await jsm.streams.delete(name).catch(() => undefined);
    await db.dropDatabase();

    await restore(target, dir);
    expect((await jsm.streams.info('DEAD_LETTER')).state.messages).toBe(5);
    const info = await jsm.consumers.info('DEAD_LETTER', 'drill');
    expect({ acked: info.ack_floor.stream_seq, pending: info.num_pending }).toEqual({ acked: 2, pending: 3 });
    const doc = await db.collection('deliveries').findOne({ _id: id } as never);
    expect(doc).toMatchObject({ n: 3, at });
    expect(Buffer.from((doc!.key as { buffer: Uint8Array }).buffer).toString()).toBe('secret');
    expect((await db.collection('deliveries').indexes()).map((index) => index.name)).toContain('by_n');
    await expect(restore(target, dir)).rejects.toThrow(/exists already/);
    await db.close();
  }, 120_000);
});
