import { eventSubjects, type EventPayload, type RelayContent } from '@clarion/contracts';
import { DeliveryTestBed, eventually } from '../test/delivery-test-bed';

function cancellation(relay: RelayContent): EventPayload<typeof eventSubjects.relayCancelled> {
  const { relayId, alertId, coalitionId, orgId } = relay;
  return { eventId: `relay:${relayId}:cancelled`, occurredAt: new Date().toISOString(), relayId, alertId, alertVersion: 1, coalitionId, orgId, decidedBy: 'alert_cancelled' };
}

describe('relay cancellation', () => {
  let bed: DeliveryTestBed;

  // One send at a time and a short push timeout, so a test can cancel a relay while its batch is sending.
  beforeAll(async () => {
    bed = await DeliveryTestBed.start('delivery_relays', { SEND_CONCURRENCY: '1', PUSH_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => bed?.stop());

  it('sends nothing for a batch of a relay cancelled before it arrived', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId);
    await bed.publish(eventSubjects.relayCancelled, cancellation(relay));
    await eventually('cancellation recorded', async () => ((await bed.knowsCancelled(relay.relayId)) ? true : undefined));

    const gil = bed.supporter('gil');
    await bed.publishBatch(bed.batch(relay, [gil]));
    const ledger = await bed.settledLedger(relay.relayId, 2);
    expect(ledger.map((record) => record.state)).toEqual(['cancelled', 'cancelled']);
    expect(bed.smtp.messages().filter((message) => message.envelope.to.includes(gil.contacts.email ?? ''))).toHaveLength(0);
    expect(bed.push.messages(gil.pushId)).toHaveLength(0);
  });

  it('stops a batch that is sending when its relay is cancelled', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { channels: ['push'] });
    const [slow, ...rest] = ['ida', 'jo', 'kim'].map((name) => bed.supporter(name, 'en', { push: true }));
    bed.faults.push.set(slow.pushId ?? '', ['hang']);
    await bed.publishBatch(bed.batch(relay, [slow, ...rest]));
    await eventually('the first push in flight', async () => (bed.faults.pushesAsked.includes(slow.pushId ?? '') ? true : undefined));

    await bed.publish(eventSubjects.relayCancelled, cancellation(relay));
    const ledger = await bed.settledLedger(relay.relayId, 3);
    expect(ledger.map((record) => record.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // The batch comes back for the push that timed out and finds the relay cancelled.
    await eventually('the batch consumed', async () => {
      const consumer = await (await bed.nc.jetstreamManager()).consumers.info('DELIVERY_BATCHES', 'delivery-batches');
      return consumer.num_pending === 0 && consumer.num_ack_pending === 0 ? true : undefined;
    });
    for (const supporter of rest) expect(bed.faults.pushesAsked).not.toContain(supporter.pushId);
  });
});
