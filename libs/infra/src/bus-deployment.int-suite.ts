import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { loadConfig, serviceConfigSchemas } from '@clarion/config';
import { applyStreamConfiguration, busSettings, natsClientOptions } from '@clarion/messaging';
import { ensureBinary } from './binaries';
import { parseBusDeploymentArgs, writeBusDeployment, type BusDeployment } from './bus-deployment';
import { ManagedProcess } from './managed-process';
import { freePort, isPortOpen, waitFor } from './network';

/**
 * The production example of `npm run nats:config` with TLS, run for real: a
 * CA, a server certificate and a client certificate made with openssl, the
 * configuration written from the command line an operator types, and the
 * pinned nats-server started on it. A service configured as the README says
 * (NATS_URL tls://…, its seed, NATS_TLS_*) gets in; a client without its
 * NKey, without a client certificate, or without TLS does not.
 */
describe('the production NATS configuration (npm run nats:config, with TLS)', () => {
  let dir: string;
  let deployment: BusDeployment;
  let server: ManagedProcess;
  let port: number;
  const certs = (name: string) => join(dir, 'tls', name);

  function openssl(args: string[]): void {
    execFileSync('openssl', args, { cwd: join(dir, 'tls'), stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** A key and a certificate for `name`, signed by the test CA, with these extensions. */
  function signed(name: string, extensions: string): void {
    writeFileSync(certs(`${name}.ext`), extensions);
    openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clarion-nats-config-'));
    execFileSync('mkdir', [join(dir, 'tls')]);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=clarion-test-ca']);
    signed('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    signed('gateway', 'extendedKeyUsage=clientAuth\n');

    port = await freePort();
    // As an operator would type it (README, operators).
    const args = ['--out', join(dir, 'bus'), '--host', '127.0.0.1', '--port', String(port), '--store-dir', join(dir, 'jetstream')];
    const tls = ['--tls-cert', certs('server.crt'), '--tls-key', certs('server.key'), '--tls-ca', certs('ca.crt')];
    deployment = writeBusDeployment(parseBusDeploymentArgs([...args, ...tls]));

    server = new ManagedProcess({ name: 'nats-server', command: await ensureBinary('nats-server'), args: ['-c', deployment.serverConfigFile], logFile: join(dir, 'nats-server.log') });
    server.start();
    await waitFor(`nats-server on port ${port}`, () => isPortOpen(port), 15_000, server.whenExited());
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The gateway's environment as README's operators section gives it. */
  const gatewayEnv = (extra: Record<string, string> = {}) => ({
    NATS_URL: `tls://127.0.0.1:${port}`,
    NATS_NKEY_SEED_FILE: deployment.services.gateway.seedFile,
    BUS_PUBLIC_KEYS_FILE: deployment.services.gateway.publicKeysFile,
    NATS_TLS_CA_FILE: certs('ca.crt'),
    NATS_TLS_CERT_FILE: certs('gateway.crt'),
    NATS_TLS_KEY_FILE: certs('gateway.key'),
    SENDER_SECRETS_PUBLIC_KEY: deployment.keys.senderSecretsPublicKey,
    ...extra,
  });

  /** The error a connection attempt ends with, or 'connected'. */
  async function outcome(attempt: () => Promise<NatsConnection>): Promise<string> {
    try {
      const nc = await attempt();
      await nc.flush();
      await nc.close();
      return 'connected';
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** One attempt, no reconnecting: a refusal ends the attempt instead of retrying forever as a service does. */
  const once = { maxReconnectAttempts: 0, reconnect: false, waitOnFirstConnect: false, timeout: 3_000 } as const;

  it('writes the configuration and the seeds for their owner only', () => {
    expect(statSync(deployment.serverConfigFile).mode & 0o777).toBe(0o600);
    expect(statSync(deployment.services.gateway.dir).mode & 0o777).toBe(0o700);
    expect(statSync(deployment.services.gateway.seedFile).mode & 0o777).toBe(0o600);
  });

  it('lets a service in with its seed and client certificate over TLS, and gets the table’s permissions, not more', async () => {
    const config = loadConfig(serviceConfigSchemas.gateway, gatewayEnv());
    const nc = await connect({ ...natsClientOptions(busSettings('gateway', config), 'gateway-test'), ...once });
    try {
      expect(nc.info?.tls_required).toBe(true);
      // Its permissions are the table's: subscribing to everything is refused by the server.
      const snoop = nc.subscribe('>');
      const ended = await (async () => {
        try {
          for await (const _message of snoop) return 'a message';
          return 'closed';
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(ended).toMatch(/permissions violation/i);
    } finally {
      await nc.close();
    }
  });

  it('lets the operator apply the contracts’ streams with the seed in operator/ (npm run nats:streams)', async () => {
    const tls = { caFile: certs('ca.crt'), certFile: certs('gateway.crt'), keyFile: certs('gateway.key') };
    const seed = readFileSync(deployment.operator.seedFile, 'utf8').trim();
    await expect(applyStreamConfiguration({ url: `tls://127.0.0.1:${port}`, seed, tls })).resolves.toBeUndefined();
  });

  it('refuses a client without an NKey, even with a client certificate', async () => {
    const tls = { caFile: certs('ca.crt'), certFile: certs('gateway.crt'), keyFile: certs('gateway.key') };
    expect(await outcome(() => connect({ servers: `tls://127.0.0.1:${port}`, tls, ...once }))).toMatch(/authorization/i);
  });

  it('refuses a service’s seed without a client certificate', async () => {
    const config = loadConfig(serviceConfigSchemas.gateway, gatewayEnv({ NATS_TLS_CERT_FILE: '', NATS_TLS_KEY_FILE: '' }));
    // TLS 1.3 sends the server's refusal after the handshake: the client sees the alert, or the connection reset that follows it.
    expect(await outcome(() => connect({ ...natsClientOptions(busSettings('gateway', config), 'no-client-cert'), ...once }))).toMatch(/certificate required|ECONNRESET/);
  });

  it('refuses a client that does not speak TLS', async () => {
    // A raw socket speaking plain NATS after the server's INFO.
    const answer = await new Promise<string>((resolve) => {
      let received = '';
      const socket = netConnect({ port, host: '127.0.0.1' });
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (received.includes('INFO ')) socket.write('CONNECT {"verbose":false}\r\nPING\r\n');
      });
      socket.on('close', () => resolve(received));
      socket.on('error', () => undefined);
      socket.setTimeout(5_000, () => socket.destroy());
    });
    expect(answer).toContain('"tls_required":true');
    expect(answer).not.toContain('PONG');
  });
});
