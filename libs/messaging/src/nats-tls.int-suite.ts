import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { clarionUsers, ensureBusKeys, startNatsServer, type RunningNatsServer } from '@clarion/infra';
import { natsClientOptions, type BusSettings } from './nats-connection';

/** openssl (Debian's, as CI installs it) makes a CA and a server certificate for 127.0.0.1 and localhost (nats.js checks the name localhost for a loopback address) signed by it. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=Clarion test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', file('san.ext'), '-out', file('server.pem'));
  return { ca: file('ca.pem'), cert: file('server.pem'), key: file('server.key') };
}

describe('NATS over TLS', () => {
  let dir: string;
  let nats: RunningNatsServer;
  let bus: BusSettings;
  let certificates: { ca: string; cert: string; key: string };
  const open: NatsConnection[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clarion-tls-'));
    certificates = makeCertificates(dir);
    const keys = ensureBusKeys(join(dir, 'bus'));
    nats = await startNatsServer({
      dir: join(dir, 'nats'),
      auth: { users: clarionUsers(keys.publicKeys), storeKey: keys.storeKey, routePassword: keys.routePassword },
      tls: { certFile: certificates.cert, keyFile: certificates.key },
    });
    bus = { url: `tls://127.0.0.1:${nats.port}`, service: 'alerts', seed: keys.seeds.alerts, publicKeys: keys.publicKeys };
  });

  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close()));
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const attempt = async (settings: BusSettings) => {
    const nc = await connect({ ...natsClientOptions(settings, 'tls-test'), waitOnFirstConnect: false, maxReconnectAttempts: 0 });
    open.push(nc);
    return nc;
  };

  it('connects a service that trusts the server certificate’s CA (NATS_TLS_CA_FILE), and JetStream answers', async () => {
    const nc = await attempt({ ...bus, tls: { caFile: certificates.ca } });
    const info = await (await nc.jetstreamManager()).getAccountInfo();
    expect(info.limits).toBeDefined();
    expect(nc.info?.tls_required).toBe(true);
  });

  it('is refused by a service that does not trust the certificate, whether it asked for TLS (tls://) or not (nats://)', async () => {
    await expect(attempt(bus)).rejects.toThrow(/certificate/i);
    await expect(attempt({ ...bus, url: `nats://127.0.0.1:${nats.port}` })).rejects.toThrow(/certificate/i);
  });
});
