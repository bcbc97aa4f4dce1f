import { connect } from 'node:net';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { systemRpc } from '@clarion/contracts';
import { repoRoot } from '@clarion/infra';
import { http, startNetwork, startTestInfra, TestRpc, type Network, type TestInfra } from '@clarion/testing';

const BACKEND = ['alerts', 'subscriptions', 'delivery'] as const;

describe('the network as processes', () => {
  let infra: TestInfra;
  let network: Network;
  let client: TestRpc;

  beforeAll(async () => {
    infra = await startTestInfra();
    network = await startNetwork(infra);
    client = await TestRpc.connect(infra);
  });

  afterAll(async () => {
    await client?.close();
    await network?.stopAll();
    await infra?.stop();
  });

  it('reports every service, NATS and each database up on the gateway /health, to the network admin', async () => {
    const { status, body } = await http('GET', `${network.gatewayUrl}/health`, { token: network.adminToken });
    expect(status).toBe(200);
    expect(body.gateway.nats.status).toBe('up');
    for (const name of BACKEND) {
      expect(body.services[name]).toMatchObject({
        service: name,
        status: 'up',
        components: { nats: { status: 'up' }, database: { status: 'up', detail: expect.stringContaining(name) } },
      });
    }
  });

  it.each(BACKEND)('answers a request/reply round trip over NATS from %s', async (name) => {
    const reply = await client.request(systemRpc.ping(name), { echo: `hello ${name}` }, 3_000);
    expect(reply).toEqual({ service: name, echo: `hello ${name}`, pid: network.services[name].process.pid });
  });

  it('tells anyone only up or down, and nobody but the network admin what it is made of', async () => {
    expect(await http('GET', `${network.gatewayUrl}/health`)).toMatchObject({ status: 200, body: { status: 'up' } });
    expect(Object.keys((await http('GET', `${network.gatewayUrl}/health`)).body)).toEqual(['status']);
    expect(await http('GET', `${network.gatewayUrl}/health/ready`)).toMatchObject({ status: 200, body: { status: 'up' } });
    expect(Object.keys((await http('GET', `${network.gatewayUrl}/health/ready`)).body)).toEqual(['status']);
    expect((await http('GET', `${network.gatewayUrl}/health`, { token: 'clr_not-a-real-token' })).status).toBe(401);
  });

  it('answers 503 naming the service that is down to the admin, only "down" to anyone else, and recovers when it is back', async () => {
    await network.services.delivery.process.stop();
    const { status, body } = await http('GET', `${network.gatewayUrl}/health`, { token: network.adminToken });
    expect(status).toBe(503);
    expect(body.services.delivery.status).toBe('down');
    expect(body.services.alerts.status).toBe('up');
    expect(await http('GET', `${network.gatewayUrl}/health`)).toMatchObject({ status: 503, body: { status: 'down' } });
    expect(Object.keys((await http('GET', `${network.gatewayUrl}/health`)).body)).toEqual(['status']);

    await network.services.delivery.restart();
    expect((await http('GET', `${network.gatewayUrl}/health`)).status).toBe(200);
  });

  it('shuts every service down cleanly on SIGTERM with exit code 0, with a client connected that sent nothing yet', async () => {
    for (const name of [...BACKEND, 'gateway'] as const) {
      // A connection the server keeps alive (65 s) must not hold its shutdown: a proxy's pooled connection looks like this one.
      const idle = connect(Number(new URL(network.services[name].httpUrl).port), '127.0.0.1');
      await new Promise((resolve, reject) => idle.once('connect', resolve).once('error', reject));
      // Exit code 0 only from the service's own shutdown: a process still running after 15 s is killed, and fails this.
      const code = await network.services[name].process.stop(15_000);
      idle.destroy();
      expect({ name, code }).toEqual({ name, code: 0 });
    }
  });

  it('refuses to start on a bad setting with one line naming the variable', () => {
    const result = spawnSync(process.execPath, [join(repoRoot(), 'dist/apps/alerts/src/main.js')], {
      env: { PATH: process.env.PATH, NATS_URL: 'nonsense' },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^alerts: invalid configuration: NATS_URL must be .* \(got "nonsense"\)$/);
  });
});
