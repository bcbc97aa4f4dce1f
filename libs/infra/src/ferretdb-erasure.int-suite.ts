import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startFerretDb, type RunningServer } from './infra-servers';

/**
 * A deleted document leaves no copy in the embedded FerretDB's files
 * (docs/decisions/0024): SQLite overwrites what a delete or an update frees
 * (secure_delete), and the wrapper empties each database's write-ahead log
 * once its pages are in the database file. Without both, the earlier versions
 * of a supporter's document stay in the WAL, and the deleted one in the
 * database file's free space, until other writes happen to overwrite them —
 * on a quiet installation, indefinitely. Nothing else writes here.
 */
describe('the embedded FerretDB after a delete', () => {
  let dir: string;
  let mongo: RunningServer;
  let client: MongoClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clarion-erasure-'));
    mongo = await startFerretDb({ dir, walTruncateEvery: '500ms' });
    client = await MongoClient.connect(`${mongo.url}/erasure`);
  });

  afterAll(async () => {
    await client?.close();
    await mongo?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const files = () => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.sqlite(-wal)?$/.test(name));
  const holding = (needle: string) =>
    files().filter((name) => {
      try {
        return readFileSync(join(dir, name)).includes(Buffer.from(needle));
      } catch {
        return false; // a WAL truncated meanwhile
      }
    });

  it('keeps no copy of a deleted document in the database files or the WAL, and keeps the others', async () => {
    const supporters = client.db().collection('supporters');
    await supporters.createIndex({ emailKey: 1 }, { unique: true, sparse: true });
    await supporters.insertMany(Array.from({ length: 300 }, (_, i) => ({ email: `other-${i}@example.org`, emailKey: `o:other-${i}@example.org`, pad: 'x'.repeat(200) })));
    const { insertedId } = await supporters.insertOne({ email: 'erased@example.org', emailKey: 'o:erased@example.org', push: { endpoint: 'https://push.example.net/erased-endpoint' } });
    for (const state of ['pending', 'active', 'unsubscribed']) await supporters.updateOne({ _id: insertedId }, { $set: { state } });
    expect(holding('erased@example.org').length).toBeGreaterThan(0);

    await supporters.deleteOne({ _id: insertedId });
    const deadline = Date.now() + 15_000;
    while (holding('erased@example.org').length + holding('erased-endpoint').length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect({ email: holding('erased@example.org'), endpoint: holding('erased-endpoint') }).toEqual({ email: [], endpoint: [] });
    expect(holding('other-7@example.org').length).toBeGreaterThan(0);
    expect(await supporters.countDocuments()).toBe(300);
  });
});
