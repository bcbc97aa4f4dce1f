import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@clarion/infra';
import { startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, expectStatus } from './support/api';
import { createOrg, type Org } from './support/directory-fixture';

/**
 * The embedded database is for the services alone. FerretDB listens
 * on a Unix socket in a mode-700 folder and on no TCP port, and its SQLite
 * files are the owner's only (docs/decisions/0021). The attack replayed here
 * is the one that decision answers: another local user connects to the database,
 * reads an organisation's supporters and updates one. The same probe, run as
 * the services' own user, does read the supporter: the refusal comes from the
 * permissions, not from a broken probe.
 *
 * Runs the probe as the user `nobody`, which needs root (CI runs as root).
 */

interface ProbeResult {
  /** `net.connect` to the socket: 'connected' or the error code. */
  socket: string;
  /** What the MongoDB driver read from the supporters collection (email, and who updated it), or its error. */
  read: { supporters: { email: string; probedBy?: string }[] } | { error: string };
  /** An update of the supporter through the driver: 'updated' or its error. */
  update: string;
  /** readdir of the SQLite folder, and a read of each file: 'read' or the error code. */
  files: Record<string, string>;
}

// Plain CommonJS run by `node` as another user: connects and reads as an attacker would.
const PROBE = `
const net = require('node:net');
const fs = require('node:fs');
const { MongoClient } = require(process.env.PROBE_DRIVER);
const { socketPath, url, database, email, sqliteDir, sqliteFiles, as } = JSON.parse(process.env.PROBE_INPUT);
const code = (error) => error.code || error.message;
(async () => {
  const result = { files: {} };
  result.socket = await new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    socket.once('connect', () => { socket.destroy(); resolve('connected'); });
    socket.once('error', (error) => resolve(code(error)));
  });
  // A client per attempt: a failed server selection closes the client's topology.
  const attempt = async (operation) => {
    const client = new MongoClient(url, { serverSelectionTimeoutMS: 2000, retryWrites: false });
    try {
      return await operation(client.db(database).collection('supporters'));
    } catch (error) {
      return { error: error.message };
    } finally {
      await client.close().catch(() => undefined);
    }
  };
  result.read = await attempt(async (supporters) => ({
    supporters: (await supporters.find({}).toArray()).map((doc) => ({ email: doc.contacts?.email?.address, probedBy: doc.probedBy })),
  }));
  const updated = await attempt((supporters) => supporters.updateOne({ 'contacts.email.address': email }, { $set: { probedBy: as } }));
  result.update = updated.error ?? (updated.modifiedCount === 1 ? 'updated' : 'not matched');
  try { fs.readdirSync(sqliteDir); result.files[sqliteDir] = 'read'; } catch (error) { result.files[sqliteDir] = code(error); }
  for (const file of sqliteFiles) {
    try { fs.readFileSync(file); result.files[file] = 'read'; } catch (error) { result.files[file] = code(error); }
  }
  process.stdout.write(JSON.stringify(result));
})().catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });
`;

/**
 * A copy of an npm package and everything it depends on, in `into`/node_modules:
 * `nobody` may not be able to enter the checkout (a clone under a private
 * folder), so the probe brings its own MongoDB driver.
 */
function copyPackage(name: string, into: string, from = join(repoRoot(), 'node_modules')): void {
  const target = join(into, 'node_modules', name);
  if (existsSync(target)) return;
  // npm nests a package under its dependent when the top level holds another version of it.
  const source = [join(from, name), join(repoRoot(), 'node_modules', name)].find((dir) => existsSync(join(dir, 'package.json')));
  if (!source) throw new Error(`the probe's driver needs ${name}, which is not installed`);
  cpSync(source, target, { recursive: true, dereference: true });
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) copyPackage(dependency, into, join(source, 'node_modules'));
}

/** uid and gid of `nobody` from /etc/passwd; fails loudly when the machine has none. */
function nobody(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('nobody:'));
  if (!line) throw new Error('this test needs a local user "nobody" (in /etc/passwd) to play the other local user');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Inodes of the TCP sockets listening on this machine (state 0A in /proc/net/tcp and tcp6). */
function tcpListenerInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** How many TCP ports process `pid` listens on: its open sockets that are TCP listeners. */
function tcpListenersOf(pid: number): number {
  const listening = tcpListenerInodes();
  const fdDir = `/proc/${pid}/fd`;
  return readdirSync(fdDir)
    .map((fd) => {
      try {
        return /^socket:\[(\d+)\]$/.exec(readlinkSync(join(fdDir, fd)))?.[1];
      } catch {
        return undefined;
      }
    })
    .filter((inode) => inode !== undefined && listening.has(inode)).length;
}

describe('the embedded database, as another local user sees it', () => {
  let infra: TestInfra;
  let network: Network;
  let org: Org;
  let probeDir: string;
  const database = `dbaccess_${process.pid}_subscriptions`;
  const email = `someone-${process.pid}@access.example.org`;

  beforeAll(async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('this test runs a database client as the user "nobody", which needs root (CI runs as root); run it as root');
    }
    infra = await startTestInfra();
    // The harness's temporary folder is private (mkdtemp makes it 700); open it, so what keeps another user out is FerretDB's own folders and files.
    chmodSync(infra.dir, 0o755);
    network = await startNetwork(infra, { services: ['gateway', 'subscriptions'], dbPrefix: `dbaccess_${process.pid}` });
    const admin = new Api(network.gatewayUrl, network.adminToken);
    org = await createOrg(admin, 'Access Rights');
    const csv = `email,language,topics,consent_at,consent_source\n${email},en,,2026-01-15T10:00:00Z,access test`;
    expect(expectStatus(await org.admin.post(`/organisations/${org.id}/supporters/import`, { csv }), 200).body).toMatchObject({ imported: 1 });
    // World-readable, so `nobody` can run it.
    probeDir = mkdtempSync(join(tmpdir(), 'clarion-probe-'));
    chmodSync(probeDir, 0o755);
    writeFileSync(join(probeDir, 'probe.js'), PROBE, { mode: 0o644 });
    copyPackage('mongodb', probeDir);
  });

  afterAll(async () => {
    await network?.stopAll();
    await infra?.stop();
    if (probeDir) rmSync(probeDir, { recursive: true, force: true });
  });

  /** Runs the probe as `user` (this process's own user when not given). */
  function probe(as: string, user?: { uid: number; gid: number }): Promise<ProbeResult> {
    const sqliteFiles = readdirSync(infra.mongo.dataDir).map((file) => join(infra.mongo.dataDir, file));
    const input = { socketPath: infra.mongo.socketPath, url: infra.mongoUrl(database), database, email, sqliteDir: infra.mongo.dataDir, sqliteFiles, as };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(probeDir, 'probe.js')], {
        ...(user ?? {}),
        cwd: '/',
        env: { PATH: process.env.PATH, PROBE_DRIVER: join(probeDir, 'node_modules', 'mongodb'), PROBE_INPUT: JSON.stringify(input) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ProbeResult) : reject(new Error(`probe as ${as} exited ${code}: ${err}`))));
    });
  }

  it('serves the services: the imported supporter comes back through the API', async () => {
    const exported = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export`), 200);
    expect(JSON.stringify(exported.body)).toContain(email);
  });

  it('lets the services’ own user read and update the supporter through the socket (the probe works)', async () => {
    const result = await probe('owner');
    expect(result.socket).toBe('connected');
    expect(result.read).toEqual({ supporters: [{ email }] });
    expect(result.update).toBe('updated');
    expect(Object.values(result.files).every((outcome) => outcome === 'read')).toBe(true);
  });

  it('refuses another local user: no connection, no read, no update, no file', async () => {
    const result = await probe('nobody', nobody());
    expect(result.socket).toBe('EACCES');
    expect(result.read).toEqual({ error: expect.stringContaining('EACCES') });
    expect(result.update).toContain('EACCES');
    const files = Object.keys(result.files);
    expect(files.length).toBeGreaterThan(1);
    expect(Object.entries(result.files).filter(([, outcome]) => outcome !== 'EACCES')).toEqual([]);
    // The refused update changed nothing: the supporter still shows the owner's earlier one.
    expect((await probe('owner')).read).toEqual({ supporters: [{ email, probedBy: 'owner' }] });
  });

  it('keeps its folders mode 700 and its socket and files for the owner only', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    const ferretDir = join(infra.mongo.dataDir, '..');
    expect([ferretDir, infra.mongo.dataDir, join(infra.mongo.socketPath, '..')].map(mode)).toEqual([0o700, 0o700, 0o700]);
    const open = [infra.mongo.socketPath, ...readdirSync(infra.mongo.dataDir).map((file) => join(infra.mongo.dataDir, file))].filter(
      (path) => (mode(path) & 0o077) !== 0,
    );
    expect(open).toEqual([]);
  });

  it('listens on no TCP port (the check sees nats-server’s)', () => {
    expect(tcpListenersOf(infra.mongo.process.pid!)).toBe(0);
    expect(tcpListenersOf(infra.nats.process.pid!)).toBeGreaterThan(0);
  });
});
