import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, nkeyAuthenticator, type Authenticator } from 'nats';
import { clarionUsers, ensureBusKeys, startNatsServer, type RunningNatsServer } from '@clarion/infra';
import { natsClientOptions, type BusSettings } from './nats-connection';

/** Longer than nats-server's default handshake bound (2 s), well under Clarion's (NATS_HANDSHAKE_TIMEOUT_S). */
const STARVED_MS = 3_000;

/** Signs the server's nonce only after the process was busy for `ms`, as a service starved of CPU on a loaded host would. */
function starved(seed: string, ms: number): Authenticator {
  const sign = nkeyAuthenticator(new TextEncoder().encode(seed));
  return (nonce) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      // The event loop is held, as it is by a long synchronous task or a CPU share of a tenth of a core.
    }
    return sign(nonce);
  };
}

describe('a NATS handshake on a loaded host', () => {
  let dir: string;
  let nats: RunningNatsServer;
  let bus: BusSettings;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clarion-handshake-'));
    const keys = ensureBusKeys(join(dir, 'bus'));
    nats = await startNatsServer({
      dir: join(dir, 'nats'),
      auth: { users: clarionUsers(keys.publicKeys), storeKey: keys.storeKey, routePassword: keys.routePassword },
    });
    bus = { url: `nats://127.0.0.1:${nats.port}`, service: 'delivery', seed: keys.seeds.delivery, publicKeys: keys.publicKeys };
  });

  afterAll(async () => {
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a service in whose signature comes seconds after the server greeted it (nats-server alone cuts it off at 2 s)', async () => {
    const options = natsClientOptions(bus, 'handshake-test');
    const nc = await connect({ ...options, authenticator: starved(bus.seed, STARVED_MS), waitOnFirstConnect: false, maxReconnectAttempts: 0 });
    try {
      // Authenticated: the server answers a round trip (PING, PONG) on the connection.
      await expect(nc.flush()).resolves.toBeUndefined();
      expect(nc.info?.server_id).toMatch(/^N/);
    } finally {
      await nc.close();
    }
  });
});
