import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { nuid, type Msg, type NatsConnection } from 'nats';
import { knownStreamNames, STREAM_OPERATOR_INBOX } from '@clarion/contracts';

/**
 * Backup and restore of an installation's state (docs/operations.md,
 * docs/decisions/0032): every JetStream stream of the contracts, as the
 * server's own snapshot (messages, and each durable consumer's ack floor, so
 * a restored worker does not start again from the first batch), and every
 * collection of each service's database as canonical Extended JSON, one
 * document a line, with its indexes.
 *
 * The folder holds supporter data in clear: it is written mode 700/600;
 * encrypt it before it leaves the machine.
 *
 *   manifest.json                  what was taken, when, from which streams and databases
 *   streams/<NAME>.snapshot        the server's snapshot stream (s2-compressed tar)
 *   databases/<service>/<collection>.ndjson, <collection>.indexes.json
 */

export type DatabaseService = 'alerts' | 'subscriptions' | 'delivery';
export const DATABASE_SERVICES: DatabaseService[] = ['alerts', 'subscriptions', 'delivery'];

export interface BackupTarget {
  /** Signed in as the operator (its seed may snapshot and restore streams) or any user allowed `$JS.API.STREAM.>`. */
  nats: NatsConnection;
  /** Each service's own database URL (its user reads and writes its own database). */
  mongoUrls: Record<DatabaseService, string>;
}

interface StreamEntry {
  name: string;
  file: string;
  config: Record<string, unknown>;
  state: Record<string, unknown>;
  bytes: number;
}

export interface BackupManifest {
  format: 1;
  takenAt: string;
  streams: StreamEntry[];
  databases: Record<DatabaseService, { database: string; collections: { name: string; documents: number }[] }>;
}

const API_TIMEOUT_MS = 10_000;
/** Chunks of a restore: well under NATS's default 1 MB payload. */
const RESTORE_CHUNK = 128 * 1024;
/** A snapshot that stops sending for this long has failed (the server gives up after its own ack timeout). */
const SNAPSHOT_IDLE_MS = 60_000;

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parseReply = (msg: Msg) => JSON.parse(new TextDecoder().decode(msg.data)) as { error?: { code: number; description: string } } & Record<string, unknown>;

function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

function privateFile(path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export async function backup(target: BackupTarget, out: string): Promise<BackupManifest> {
  privateDir(out);
  const streams: StreamEntry[] = [];
  privateDir(join(out, 'streams'));
  for (const name of knownStreamNames()) {
    const entry = await snapshotStream(target.nats, name, join(out, 'streams'));
    if (entry) streams.push(entry);
  }
  const databases = {} as BackupManifest['databases'];
  for (const service of DATABASE_SERVICES) databases[service] = await dumpDatabase(target.mongoUrls[service], privateDir(join(out, 'databases', service)));
  const manifest: BackupManifest = { format: 1, takenAt: new Date().toISOString(), streams, databases };
  privateFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** The server's snapshot of one stream, streamed to a file with the flow control it asks for; undefined when the stream does not exist. */
async function snapshotStream(nc: NatsConnection, name: string, dir: string): Promise<StreamEntry | undefined> {
  const deliver = `${STREAM_OPERATOR_INBOX}.snapshot.${nuid.next()}`;
  const file = `${name}.snapshot`;
  const fd = openSync(join(dir, file), 'w', 0o600);
  let bytes = 0;
  let finish!: (error?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
  let idle = setTimeout(() => finish(new Error(`snapshot of ${name}: nothing received for ${SNAPSHOT_IDLE_MS / 1000} s`)), SNAPSHOT_IDLE_MS);
  const sub = nc.subscribe(deliver, {
    callback: (error, msg) => {
      if (error) return finish(error);
      clearTimeout(idle);
      idle = setTimeout(() => finish(new Error(`snapshot of ${name}: stalled`)), SNAPSHOT_IDLE_MS);
      if (msg.data.length === 0) {
        // The end: 204 when the whole snapshot was sent, 408/500 with the reason when not.
        const code = msg.headers?.code ?? 204;
        return finish(code === 204 ? undefined : new Error(`snapshot of ${name} failed: ${code} ${msg.headers?.description ?? ''}`));
      }
      writeSync(fd, msg.data);
      bytes += msg.data.length;
      if (msg.reply) msg.respond();
    },
  });
  try {
    await nc.flush();
    const reply = parseReply(await nc.request(`$JS.API.STREAM.SNAPSHOT.${name}`, json({ deliver_subject: deliver, jsck: false }), { timeout: API_TIMEOUT_MS }));
    if (reply.error?.code === 404) {
      finish();
      rmSync(join(dir, file), { force: true });
      return undefined;
    }
    if (reply.error) throw new Error(`snapshot of ${name} refused: ${reply.error.description}`);
    await done;
    return { name, file, config: reply.config as Record<string, unknown>, state: reply.state as Record<string, unknown>, bytes };
  } finally {
    clearTimeout(idle);
    sub.unsubscribe();
    closeSync(fd);
  }
}

async function dumpDatabase(url: string, dir: string): Promise<{ database: string; collections: { name: string; documents: number }[] }> {
  const { EJSON } = mongoose.mongo.BSON;
  const client = await new mongoose.mongo.MongoClient(url, { serverSelectionTimeoutMS: API_TIMEOUT_MS }).connect();
  try {
    const db = client.db();
    const collections: { name: string; documents: number }[] = [];
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (name.startsWith('system.')) continue;
      const collection = db.collection(name);
      const fd = openSync(join(dir, `${name}.ndjson`), 'w', 0o600);
      let documents = 0;
      try {
        for await (const doc of collection.find({})) {
          writeSync(fd, `${EJSON.stringify(doc, { relaxed: false })}\n`);
          documents++;
        }
      } finally {
        closeSync(fd);
      }
      const indexes = (await collection.indexes()).filter((index) => index.name !== '_id_');
      privateFile(join(dir, `${name}.indexes.json`), `${JSON.stringify(indexes, null, 2)}\n`);
      collections.push({ name, documents });
    }
    return { database: db.databaseName, collections };
  } finally {
    await client.close();
  }
}

/**
 * Puts a backup back into an installation whose streams and databases are
 * gone (a new NATS cluster, new MongoDB): run before the services start, since
 * a service creates a missing stream empty, and a stream that exists is not
 * overwritten (restore refuses it, naming it).
 */
export async function restore(target: BackupTarget, from: string): Promise<BackupManifest> {
  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`${from}: backup format ${manifest.format} is not one this version reads`);
  for (const stream of manifest.streams) await restoreStream(target.nats, stream, join(from, 'streams', stream.file));
  for (const service of DATABASE_SERVICES) await loadDatabase(target.mongoUrls[service], join(from, 'databases', service));
  return manifest;
}

async function restoreStream(nc: NatsConnection, stream: StreamEntry, file: string): Promise<void> {
  const exists = parseReply(await nc.request(`$JS.API.STREAM.INFO.${stream.name}`, json({}), { timeout: API_TIMEOUT_MS }));
  if (!exists.error) throw new Error(`stream ${stream.name} exists already: restore into a NATS without Clarion's streams, before the services start`);
  const start = parseReply(await nc.request(`$JS.API.STREAM.RESTORE.${stream.name}`, json({ config: stream.config, state: stream.state }), { timeout: API_TIMEOUT_MS }));
  if (start.error) throw new Error(`restore of ${stream.name} refused: ${start.error.description}`);
  const deliver = start.deliver_subject as string;
  const data = readFileSync(file);
  for (let at = 0; at < data.length; at += RESTORE_CHUNK) {
    const reply = await nc.request(deliver, data.subarray(at, at + RESTORE_CHUNK), { timeout: API_TIMEOUT_MS });
    if (reply.data.length > 0 && parseReply(reply).error) throw new Error(`restore of ${stream.name}: ${parseReply(reply).error!.description}`);
  }
  // An empty message ends it; the answer is the restored stream, or why not. A big stream takes a while to unpack.
  const end = parseReply(await nc.request(deliver, new Uint8Array(0), { timeout: 5 * 60_000 }));
  if (end.error) throw new Error(`restore of ${stream.name} failed: ${end.error.description}`);
}

async function loadDatabase(url: string, dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const { EJSON } = mongoose.mongo.BSON;
  const client = await new mongoose.mongo.MongoClient(url, { serverSelectionTimeoutMS: API_TIMEOUT_MS }).connect();
  try {
    const db = client.db();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ndjson')).sort()) {
      const name = file.slice(0, -'.ndjson'.length);
      const collection = db.collection(name);
      if ((await collection.estimatedDocumentCount()) > 0) throw new Error(`${db.databaseName}.${name} is not empty: restore into empty databases, before the services start`);
      const indexes = JSON.parse(readFileSync(join(dir, `${name}.indexes.json`), 'utf8')) as { key: Record<string, unknown>; name: string; v?: number; ns?: string }[];
      if (indexes.length > 0) await collection.createIndexes(indexes.map(({ v: _v, ns: _ns, ...index }) => index as never));
      const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);
      for (let at = 0; at < lines.length; at += 500) {
        await collection.insertMany(lines.slice(at, at + 500).map((line) => EJSON.parse(line, { relaxed: false }) as Record<string, unknown>), { ordered: true });
      }
      if (lines.length === 0) await db.createCollection(name).catch(() => undefined);
    }
  } finally {
    await client.close();
  }
}
