import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import type { NatsConnection } from 'nats';
import { knownStreamNames, streamOperatorPermissions } from '@clarion/contracts';
import { backup, DATABASE_SERVICES, restore, type BackupTarget, type DatabaseService } from '@clarion/infra';
import { expectStatus } from './support/api';
import { expectEveryoneReached, publishAlert, reckon, seedAudience, startFaultNetwork, untilSettled, type Audience, type FaultNetwork } from './support/fault-network';

const SUPPORTERS = 300;

/**
 * The restore drill, on the embedded default (nats-server and FerretDB):
 * publish an alert and let it reach everyone, back up (every stream, by the
 * server's snapshot, and every service's database), wipe both (streams
 * deleted, databases dropped), restore, start the same services again. The
 * alert, its relays and the ledger are back as they were; a second alert then
 * goes out to everyone — delivery has worked through its whole queue by then —
 * and nobody got the first one twice.
 */
describe('backup and restore drill', () => {
  let net: FaultNetwork;
  let nc: NatsConnection;
  let audience: Audience;
  let first: string;
  let dir: string;
  let target: BackupTarget;
  const before: Record<string, unknown> = {};

  beforeAll(async () => {
    net = await startFaultNetwork();
    nc = await net.infra.connectHarness();
    audience = await seedAudience(net, SUPPORTERS);
    dir = join(mkdtempSync(join(tmpdir(), 'clarion-backup-')), 'backup');
    const mongoUrls = Object.fromEntries(DATABASE_SERVICES.map((service) => [service, net.databaseUrl(service)])) as Record<DatabaseService, string>;
    target = { nats: nc, mongoUrls };
  }, 300_000);

  afterAll(async () => {
    await nc?.close();
    await net?.stop();
    if (dir) rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('an alert is published and reaches everyone', async () => {
    first = await publishAlert(audience);
    await untilSettled(net, first, audience, 120_000);
    expectEveryoneReached(await reckon(net, first), audience);
    before.alert = expectStatus(await audience.coalition.coordinator.get(`/alerts/${first}`), 200).body;
    before.relays = expectStatus(await audience.org.admin.get(`/organisations/${audience.org.id}/relays`), 200).body;
    before.ledger = await net.ledger.countByState(first);
  }, 180_000);

  it('is backed up while the network runs: every stream and database, in a private folder', async () => {
    const manifest = await backup(target, dir);
    expect(manifest.streams.map((s) => s.name)).toEqual(expect.arrayContaining(['ALERTS', 'RELAYS', 'DELIVERY_BATCHES', 'DELIVERY_JOBS']));
    expect(manifest.streams.find((s) => s.name === 'DELIVERY_BATCHES')!.bytes).toBeGreaterThan(0);
    const deliveries = manifest.databases.delivery.collections.find((c) => c.name === 'deliveries');
    expect(deliveries?.documents).toBe(audience.emails + audience.pushes);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'manifest.json')).mode & 0o777).toBe(0o600);
  }, 120_000);

  it('is wiped: the services stop, every stream is deleted and every database dropped', async () => {
    await net.network.stopAll();
    const jsm = await nc.jetstreamManager();
    for (const name of knownStreamNames()) await jsm.streams.delete(name).catch(() => undefined);
    for (const service of DATABASE_SERVICES) {
      const db = await mongoose.createConnection(net.databaseUrl(service)).asPromise();
      await db.dropDatabase();
      await db.close();
    }
    expect(await jsm.streams.names().next()).toEqual([]);
    expect(await net.ledger.countByState(first)).toEqual({});
  }, 120_000);

  it('refuses to restore over data that is there (a stream exists)', async () => {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: 'ALERTS', subjects: ['alerts.alert.>'] });
    await expect(restore(target, dir)).rejects.toThrow(/stream ALERTS exists already/);
    await jsm.streams.delete('ALERTS');
  });

  it('is restored, and the same services start on it: the alert, its relays and the ledger are back', async () => {
    await restore(target, dir);
    net.network.processes.forEach((service) => service.process.start());
    await Promise.all(net.network.processes.map((service) => service.waitReady()));
    expect(expectStatus(await audience.coalition.coordinator.get(`/alerts/${first}`), 200).body).toEqual(before.alert);
    expect(expectStatus(await audience.org.admin.get(`/organisations/${audience.org.id}/relays`), 200).body).toEqual(before.relays);
    expect(await net.ledger.countByState(first)).toEqual(before.ledger);
  }, 180_000);

  it('sends the next alert to everyone, and nobody a second copy of the first', async () => {
    const second = await publishAlert(audience);
    await untilSettled(net, second, audience, 120_000);
    // Delivery has worked its queue past the second alert's batches, so a first-alert batch taken up again would show here.
    const [before, after] = [await reckon(net, first), await reckon(net, second)];
    for (const rows of [before, after]) {
      for (const { channel, missing, open, duplicates } of rows) expect({ channel, missing, open, duplicates }).toEqual({ channel, missing: 0, open: 0, duplicates: 0 });
      expect(rows.map((row) => row.ledger)).toEqual([audience.emails, audience.pushes]);
    }
    // Every message the sinks hold is one of the two alerts' (the sinks count both).
    expect(before.map((row, i) => row.unknown - after[i].ledger)).toEqual([0, 0]);
    const consumers = await (await nc.jetstreamManager()).consumers.list('DELIVERY_BATCHES').next();
    expect(consumers.map((c) => ({ name: c.name, pending: c.num_pending, unacked: c.num_ack_pending }))).toEqual(consumers.map((c) => ({ name: c.name, pending: 0, unacked: 0 })));
  }, 180_000);

  it('lets the operator’s NKey snapshot and restore streams, and nothing more than stream administration', () => {
    for (const subject of ['$JS.API.STREAM.SNAPSHOT.*', '$JS.API.STREAM.RESTORE.*', '$JS.SNAPSHOT.ACK.>', '$JS.SNAPSHOT.RESTORE.>']) {
      expect(streamOperatorPermissions.publish).toContain(subject);
    }
    expect(streamOperatorPermissions.publish.filter((subject) => !/^\$JS\.(API\.(INFO|STREAM\.[A-Z]+\.\*)|SNAPSHOT\.[A-Z]+\.>)$/.test(subject))).toEqual([]);
    expect(streamOperatorPermissions.publish.some((subject) => /DELETE|PURGE|CONSUMER|MSG/.test(subject))).toBe(false);
  });
});
