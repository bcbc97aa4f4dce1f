import { JSONCodec } from 'nats';
import { deliveryRpc, progressSubject, relayProgressV1, type RelayProgress } from '@clarion/contracts';
import { DeliveryTestBed, eventually, PUBLIC_BASE_URL, type LedgerRecord } from '../test/delivery-test-bed';

/** The counters the ledger implies, per channel. */
function countsFromLedger(ledger: LedgerRecord[], channel: 'email' | 'push' | 'sms') {
  const mine = ledger.filter((record) => record.channel === channel);
  const count = (...states: string[]) => mine.filter((record) => states.includes(record.state)).length;
  return { targeted: mine.length, sent: count('sent'), failed: count('failed'), suppressed: count('suppressed', 'expired') };
}

describe('relay progress and clicks', () => {
  let bed: DeliveryTestBed;

  beforeAll(async () => {
    bed = await DeliveryTestBed.start('delivery_progress');
  });
  afterAll(async () => bed?.stop());

  it('counts every outcome of a relay as the ledger has it, live and on request, and counts clicks', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { ctaUrl: 'https://amnesty.example.org/our-own-action' });
    const snapshots: RelayProgress[] = [];
    const live = bed.nc.subscribe(progressSubject(relay.alertId), {
      callback: (_error, message) => snapshots.push(relayProgressV1.parse(JSONCodec().decode(message.data))),
    });

    const fine = bed.supporter('lea');
    const bounced = bed.supporter('max', 'en', { email: true });
    const gone = bed.supporter('ned', 'en', { push: true });
    const mailOnly = bed.supporter('ola', 'en', { email: true });
    bed.faults.smtp.set(bounced.contacts.email ?? '', [{ code: 550, message: 'No such user' }]);
    bed.push.expire(gone.pushId ?? '');
    await bed.publishBatch(bed.batch(relay, [fine, bounced, gone, mailOnly]));
    const ledger = await bed.settledLedger(relay.relayId, 5);

    const expected = { email: countsFromLedger(ledger, 'email'), push: countsFromLedger(ledger, 'push'), sms: countsFromLedger(ledger, 'sms') };
    expect(expected).toEqual({ email: { targeted: 3, sent: 2, failed: 0, suppressed: 1 }, push: { targeted: 2, sent: 1, failed: 0, suppressed: 1 }, sms: { targeted: 0, sent: 0, failed: 0, suppressed: 0 } });
    // The counters move just after the ledger's records are written: wait for them, not for a moment.
    const byAlert: RelayProgress[] = await eventually('the relay counted', async () => {
      const found: RelayProgress[] = await bed.rpc.request(deliveryRpc.progress, { alertId: relay.alertId });
      return found[0]?.channels.email.targeted === 3 ? found : undefined;
    });
    expect(byAlert).toEqual([
      { relayId: relay.relayId, alertId: relay.alertId, orgId, coalitionId: relay.coalitionId, channels: expected, clicked: 0, updatedAt: expect.any(String), version: 1 },
    ]);
    expect(await bed.rpc.request(deliveryRpc.progress, { orgId })).toEqual(byAlert);
    await eventually('the live snapshot', async () => (snapshots.at(-1)?.channels.email.sent === 2 ? true : undefined));
    expect(snapshots.at(-1)?.channels).toEqual(expected);
    live.unsubscribe();

    const email = bed.smtp.messages().find((message) => message.envelope.to.includes(fine.contacts.email ?? ''));
    const token = new RegExp(`href="${PUBLIC_BASE_URL}/c/([^"]+)"`).exec(email?.html ?? '')?.[1];
    expect(await bed.rpc.request(deliveryRpc.click, { token: token ?? '' })).toEqual({ relayId: relay.relayId, redirectTo: 'https://amnesty.example.org/our-own-action' });
    const [afterClick] = await bed.rpc.request(deliveryRpc.progress, { alertId: relay.alertId });
    expect(afterClick.clicked).toBe(1);
  });

  it('answers a forged click link with 404 and a malformed request with 400', async () => {
    await expect(bed.rpc.request(deliveryRpc.click, { token: 'eyJrIjoiY2xpY2sifQ.forged' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(bed.rpc.request(deliveryRpc.progress, { alertId: 'nope' })).rejects.toMatchObject({ statusCode: 400 });
    await expect(bed.rpc.unchecked(deliveryRpc.progress, {})).rejects.toMatchObject({ statusCode: 400 });
  });
});
