import type { NatsConnection } from 'nats';
import { eventually } from './support/api';
import { deadLettered, expectEveryoneReached, printCounts, publishAlert, reckon, seedAudience, startFaultNetwork, untilSettled, type FaultNetwork } from './support/fault-network';

const SUPPORTERS = 3_000;
/** Small batches, so the fan-out is long enough for every process to be replaced during it. */
const BATCH_SIZE = 50;
/** As the Helm chart sets it: a stopping pod has this long to drain. */
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * An upgrade as a Kubernetes Deployment rolls it (docs/operations.md), on one
 * build since a version change cannot be simulated here: during a fan-out,
 * every process of every service — two subscriptions, two delivery workers,
 * alerts, the gateway — is stopped politely (SIGTERM: it drains) and started
 * again, one at a time, each back and ready before the next goes. Nobody is
 * missed, nobody is reached twice, nothing is dead-lettered.
 */
describe('upgrade: every service rolled one process at a time during a fan-out', () => {
  let net: FaultNetwork;
  let nc: NatsConnection;

  beforeAll(async () => {
    net = await startFaultNetwork({
      replicas: { subscriptions: 2, delivery: 2 },
      commonEnv: { SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) },
      env: { subscriptions: { FAN_OUT_BATCH_SIZE: String(BATCH_SIZE) } },
    });
    nc = await net.infra.connectHarness();
  }, 180_000);

  afterAll(async () => {
    await nc?.close();
    await net?.stop();
  }, 60_000);

  it('misses nobody and reaches nobody twice', async () => {
    const audience = await seedAudience(net, SUPPORTERS);
    const expected = audience.emails + audience.pushes;
    const alertId = await publishAlert(audience);
    await eventually('the fan-out under way', async () => ((await net.ledger.records(alertId)).length > 0 ? true : undefined), 60_000);

    const rolled: string[] = [];
    let recordedAtFirstStop = -1;
    for (const service of net.network.processes) {
      const before = (await net.ledger.records(alertId)).length;
      if (recordedAtFirstStop < 0) recordedAtFirstStop = before;
      await service.process.stop(SHUTDOWN_TIMEOUT_MS + 5_000);
      service.process.start();
      await service.waitReady();
      rolled.push(`${service.name}@${before}`);
    }
    await untilSettled(net, alertId, audience, 5 * 60_000);

    const reckoning = await reckon(net, alertId);
    printCounts(`rolled ${rolled.join(', ')}`, reckoning as unknown as Record<string, unknown>[]);
    // The roll began while the fan-out was still going (else it tested nothing).
    expect(recordedAtFirstStop).toBeLessThan(expected);
    expectEveryoneReached(reckoning, audience);
    expect(await deadLettered(await nc.jetstreamManager())).toBe(0);
  }, 10 * 60_000);
});
