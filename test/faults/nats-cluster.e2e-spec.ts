import { performance } from 'node:perf_hooks';
import type { JetStreamManager, NatsConnection } from 'nats';
import { eventSubjects, streamFor } from '@clarion/contracts';
import type { NatsCluster } from '@clarion/infra';
import { eventually } from '../support/api';
import { deadLettered, expectEveryoneReached, linesInLog, printCounts, publishAlert, reckon, received, seedAudience, startFaultNetwork, untilSettled, type FaultNetwork } from '../support/fault-network';

const NODES = 3;
const SUPPORTERS = 1_500;
/** Small batches: 30 of them, so the fan-out is still storing batches while the first ones are delivered. */
const BATCH_SIZE = 50;
/** The leader is stopped once this many deliveries have reached the sinks: delivery under way, most of it still ahead. */
const STOP_AT_RECEIVED = 200;
/** The stopped node stays down at least this long, new leader or not. */
const DOWN_AT_LEAST_MS = 5_000;

interface Replication {
  /** `STREAM` or `STREAM/consumer` */
  name: string;
  numReplicas: number;
  /** Replicas JetStream reports besides the leader. */
  peers: number;
  current: number;
  leader: string;
}

/**
 * A three-node JetStream cluster (three local nats-server processes, every
 * stream and consumer replicated ×3). While a 1,500-supporter relay (email
 * and push) is being fanned out and delivered, the leader of the stream that
 * holds the delivery batches is killed; once the cluster has elected another
 * and the node has been down at least 5 s, it starts again on the same store.
 * Every service is given all three URLs. Ground truth is delivery's ledger
 * against what the SMTP sink and the push service received, by delivery id:
 * nobody missed, nobody reached twice, nothing dead-lettered.
 *
 * kill -9 rather than SIGTERM: a crashed node hands nothing over (no leader
 * transfer, no flush of its files, no goodbye on its routes), so the other two
 * must notice by missed heartbeats and elect, and everything the stream acked
 * must already be on a quorum. A clean stop is the easier case of the same.
 */
describe('fault: the delivery batches stream leader of a three-node NATS cluster killed mid fan-out', () => {
  let net: FaultNetwork;
  let cluster: NatsCluster;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  /** For polling through an election: a question the cluster cannot answer yet is asked again after 1 s, not 5. */
  let quickJsm: JetStreamManager;

  beforeAll(async () => {
    net = await startFaultNetwork({ natsCluster: NODES, env: { subscriptions: { FAN_OUT_BATCH_SIZE: String(BATCH_SIZE) } } });
    if (!net.infra.natsCluster) throw new Error('the harness started no NATS cluster');
    cluster = net.infra.natsCluster;
    // The test's own client, on every node, so it keeps answering whichever one is down.
    nc = await net.infra.connectHarness({ maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'nats-cluster-fault-test' });
    jsm = await nc.jetstreamManager();
    quickJsm = await nc.jetstreamManager({ timeout: 1_000 });
  }, 180_000);

  afterAll(async () => {
    await nc?.close();
    await net?.stop();
  }, 60_000);

  /** A JetStream question asked until it is answered: during an election the API may time out or have no responder. */
  function answered<T>(what: string, ask: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
    return eventually(what, () => ask().catch(() => undefined), timeoutMs);
  }

  /** The stream that stores delivery batches, as the contracts say, confirmed by JetStream itself. */
  async function batchStream(): Promise<string> {
    const spec = streamFor(eventSubjects.deliveryBatch) ?? streamFor(`${eventSubjects.deliveryBatch}.probe`);
    if (!spec) throw new Error(`no stream in @clarion/contracts covers ${eventSubjects.deliveryBatch}`);
    await jsm.streams.info(spec.name);
    return spec.name;
  }

  /** The JetStream meta leader (it places streams and consumers), from a running node's monitoring. */
  async function metaLeader(): Promise<string> {
    for (const node of cluster.nodes.filter((n) => n.running)) {
      try {
        const jsz = (await (await fetch(`${node.monitorUrl}/jsz`, { signal: AbortSignal.timeout(1_000) })).json()) as { meta_cluster?: { leader?: string } };
        if (jsz.meta_cluster?.leader) return jsz.meta_cluster.leader;
      } catch {
        // that node did not answer; ask the next
      }
    }
    return '(none)';
  }

  /** Every stream and every consumer: its configured copies and the replicas JetStream reports besides the leader. */
  async function replication(): Promise<Replication[]> {
    const rows: Replication[] = [];
    for (const stream of await jsm.streams.list().next()) {
      const replicas = stream.cluster?.replicas ?? [];
      rows.push({ name: stream.config.name, numReplicas: stream.config.num_replicas, peers: replicas.length, current: replicas.filter((r) => r.current).length, leader: stream.cluster?.leader ?? '' });
      for (const consumer of await jsm.consumers.list(stream.config.name).next()) {
        const creplicas = consumer.cluster?.replicas ?? [];
        // A consumer's num_replicas 0 means "as many as its stream".
        rows.push({
          name: `${stream.config.name}/${consumer.name}`,
          numReplicas: consumer.config.num_replicas || stream.config.num_replicas,
          peers: creplicas.length,
          current: creplicas.filter((r) => r.current).length,
          leader: consumer.cluster?.leader ?? '',
        });
      }
    }
    return rows;
  }

  const receivedNow = () => net.smtp.count + net.push.count;

  it('misses nobody, reaches nobody twice and dead-letters nothing when the stream leader dies and comes back', async () => {
    const stream = await batchStream();
    const before = await replication();
    expect(before.filter((row) => row.name === stream)).toHaveLength(1);
    // Streams and their consumers (delivery's batch consumer among them): ×3, i.e. a leader and two more peers.
    for (const row of before) expect({ name: row.name, numReplicas: row.numReplicas, peers: row.peers }).toEqual({ name: row.name, numReplicas: NODES, peers: NODES - 1 });

    const audience = await seedAudience(net, SUPPORTERS);
    const expected = audience.emails + audience.pushes;
    const expectedBatches = Math.ceil(SUPPORTERS / BATCH_SIZE);
    const storedBefore = (await jsm.streams.info(stream)).state.last_seq;
    const publishedAt = performance.now();
    const alertId = await publishAlert(audience);

    await eventually('delivery under way', async () => (receivedNow() >= STOP_AT_RECEIVED ? true : undefined), 120_000);
    // Everything's leader right before the kill: the batches stream's leader is the victim; whatever else it leads goes down with it.
    const atStop = await replication();
    const metaAtStop = await metaLeader();
    const batchesStoredAtStop = (await jsm.streams.info(stream)).state.last_seq - storedBefore;
    const victim = cluster.node(atStop.find((row) => row.name === stream)!.leader);
    const receivedAtStop = receivedNow();
    await victim.kill();
    const stoppedAt = performance.now();

    // Asked through the survivors: the stream's new leader, once elected.
    const newStreamLeader = await answered('a new leader of the batches stream', async () => {
      const leader = (await quickJsm.streams.info(stream)).cluster?.leader;
      return leader && leader !== victim.name ? leader : undefined;
    });
    const electedAfterMs = Math.round(performance.now() - stoppedAt);
    await new Promise((r) => setTimeout(r, Math.max(0, stoppedAt + DOWN_AT_LEAST_MS - performance.now())));
    const metaWhileDown = await metaLeader();
    const receivedWhileDown = receivedNow() - receivedAtStop;
    const restartedAt = performance.now();
    const downMs = Math.round(restartedAt - stoppedAt);
    // Resolves once the node's JetStream is healthy again: it rejoined and caught up with what it missed.
    await victim.start();
    const caughtUpAfterMs = Math.round(performance.now() - restartedAt);

    // Bounded by more than the longest ack wait (delivery's batches, 120 s): an ack or nak sent to the dead leader is lost, and JetStream hands that message out again only when its ack wait runs out.
    await untilSettled(net, alertId, audience, 200_000);
    const settledAfterMs = Math.round(performance.now() - publishedAt);
    // Anything sent twice after the ledger closed would arrive within moments; give it that.
    await new Promise((r) => setTimeout(r, 2_000));

    const reckoning = await reckon(net, alertId);
    const duplicates = reckoning.reduce((sum, row) => sum + row.duplicates, 0);
    const dead = await answered('the dead-letter count', () => deadLettered(jsm));
    const batchesStored = (await answered('the batches stream', () => jsm.streams.info(stream))).state.last_seq - storedBefore;
    // The node is back as a replica of everything, caught up.
    const after = await answered(
      'every stream and consumer with all its replicas current again',
      async () => {
        const rows = await replication();
        return rows.every((row) => row.current === NODES - 1) ? rows : undefined;
      },
      60_000,
    );
    const alive = net.network.processes.map((service) => `${service.name}:${service.process.running ? 'up' : 'DEAD'}`);
    const { subscriptions, delivery } = net.network.services;
    const ledByVictim = atStop.filter((row) => row.leader === victim.name).map((row) => row.name);

    printCounts(`kill -9 of the ${stream} leader in a ${NODES}-node NATS cluster, ${SUPPORTERS} supporters (${audience.emails} email, ${audience.pushes} push):`, [
      {
        killed: victim.name,
        metaLeaderAtKill: metaAtStop,
        newStreamLeader,
        metaLeaderWhileDown: metaWhileDown,
        electedAfterMs,
        downMs,
        caughtUpAfterMs,
        settledAfterPublishMs: settledAfterMs,
      },
    ]);
    console.log(`${victim.name} led at the kill: ${ledByVictim.join(', ')}`);
    printCounts('around the kill:', [
      {
        receivedAtStop,
        of: expected,
        receivedWhileDown,
        batchesStoredAtStop,
        batchesStored,
        expectedBatches,
        duplicates,
        deadLettered: dead,
        // A handler that failed (e.g. a publish with no stream leader to answer) and a message left for JetStream to hand out again.
        subscriptionsHandlerFailed: linesInLog(subscriptions, 'handler failed'),
        deliveryHandlerFailed: linesInLog(delivery, 'handler failed'),
        leftForRedelivery: linesInLog(subscriptions, 'left for redelivery') + linesInLog(delivery, 'left for redelivery'),
        processes: alive.join(' '),
      },
    ]);
    printCounts('deliveries, ledger against the sinks:', reckoning.map((row) => ({ ...row })));
    printCounts('replication after the restart (peers: replicas besides the leader):', after.map((row) => ({ ...row })));

    expect(newStreamLeader).not.toBe(victim.name);
    expect(receivedAtStop).toBeLessThan(expected);
    expect(alive.filter((entry) => entry.endsWith('DEAD'))).toEqual([]);
    expectEveryoneReached(reckoning, audience);
    expect(received(net).email.size + received(net).push.size).toBe(expected);
    expect(batchesStored).toBe(expectedBatches);
    expect(dead).toBe(0);
    for (const row of after) expect({ name: row.name, numReplicas: row.numReplicas, peers: row.peers }).toEqual({ name: row.name, numReplicas: NODES, peers: NODES - 1 });
  }, 6 * 60_000);
});
