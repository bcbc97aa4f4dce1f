import { connect, JSONCodec, type JetStreamManager, type NatsConnection } from 'nats';
import { Types } from 'mongoose';
import { deliveryBatchV1, eventSubjects, subjectForEvent, type DeliveryBatch, type RelayContent } from '@clarion/contracts';
import { EventPublisher, natsClientOptions } from '@clarion/messaging';
import { startTestInfra, type TestInfra } from '@clarion/testing';
import { BusErasure } from './bus-erasure';

const codec = JSONCodec();
const id = () => new Types.ObjectId().toHexString();

function relay(): RelayContent {
  return {
    relayId: id(),
    alertId: id(),
    alertVersion: 1,
    coalitionId: id(),
    orgId: id(),
    org: { name: 'Erasure Test', slug: 'erasure-test', senderName: 'Erasure Test', colour: '#123456' },
    primaryLanguage: 'en',
    texts: { en: { title: 'Act', body: 'Now.', bodyHtml: '<p>Now.</p>', ctaLabel: 'Go' } },
    ctaUrl: 'https://example.org/act',
    urgency: 'high',
    channels: ['email', 'push'],
  };
}

const recipient = (supporterId: string) => ({
  supporterId,
  language: 'en',
  contacts: {
    email: `${supporterId}@example.org`,
    push: { endpoint: `https://push.example.net/${supporterId}`, keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } },
  },
});

/**
 * Subscriptions erasing a supporter from the bus with its own credentials
 * (the table's messageErasers right), against a real nats-server: only the
 * batch that names them changes, and it keeps everyone else; jobs, feedback
 * and dead letters holding their address go; nothing else does.
 */
describe('BusErasure', () => {
  let infra: TestInfra;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let events: EventPublisher;
  let erasure: BusErasure;

  beforeAll(async () => {
    infra = await startTestInfra();
    await infra.provisionStreams();
    nc = await connect(natsClientOptions(infra.busSettings('subscriptions'), 'bus-erasure-test'));
    jsm = await nc.jetstreamManager();
    events = new EventPublisher(nc.jetstream());
    erasure = new BusErasure(nc, events);
  });

  afterAll(async () => {
    await nc?.close();
    await infra?.stop();
  });

  const stored = async (eventId: string): Promise<DeliveryBatch | undefined> => {
    try {
      const message = await jsm.streams.getMessage('DELIVERY_BATCHES', { last_by_subj: subjectForEvent(eventSubjects.deliveryBatch, eventId) });
      return deliveryBatchV1.parse(codec.decode(message.data));
    } catch {
      return undefined;
    }
  };

  it('rewrites only the batch that names the supporter, keeps the rest of it and every other batch, and erases their jobs and dead letters', async () => {
    const supporters = Array.from({ length: 9 }, () => id()).sort();
    const erased = supporters[4];
    const content = relay();
    const batchIds: string[] = [];
    // Three batches of three, in id order, as fan-out publishes them; another relay and a resend that do not name them.
    for (let start = 0; start < 9; start += 3) {
      const eventId = `relay:${content.relayId}:from:${supporters[start]}`;
      batchIds.push(eventId);
      const recipients = supporters.slice(start, start + 3).map(recipient);
      await events.publish(eventSubjects.deliveryBatch, { eventId, occurredAt: new Date().toISOString(), relay: content, recipients }, { msgId: eventId });
    }
    const other = relay();
    const otherId = `relay:${other.relayId}:from:${supporters[0]}`;
    await events.publish(eventSubjects.deliveryBatch, { eventId: otherId, occurredAt: new Date().toISOString(), relay: other, recipients: [recipient(supporters[0])] }, { msgId: otherId });
    const resendId = `resend:${content.relayId}:abc:1:from:${supporters[3]}`;
    const resent = [supporters[3], erased].map(recipient);
    await events.publish(eventSubjects.deliveryBatch, { eventId: resendId, occurredAt: new Date().toISOString(), relay: content, recipients: resent, resend: true }, { msgId: resendId });
    const job = { eventId: `confirm:${erased}:1`, occurredAt: new Date().toISOString(), orgId: content.orgId, org: content.org, supporterId: erased, email: `${erased}@example.org`, language: 'en', confirmUrl: 'https://example.org/join/confirm/x' };
    await events.publish(eventSubjects.confirmationEmail, job, { msgId: job.eventId });
    const keptJob = { ...job, eventId: `confirm:${supporters[0]}:1`, supporterId: supporters[0], email: `${supporters[0]}@example.org` };
    await events.publish(eventSubjects.confirmationEmail, keptJob, { msgId: keptJob.eventId });
    const harness = await infra.connectHarness();
    const hjs = harness.jetstream();
    await hjs.publish(`deadletter.${subjectForEvent(eventSubjects.deliveryBatch, 'dead')}`, codec.encode({ recipients: [recipient(erased)] }));
    await hjs.publish(`deadletter.${subjectForEvent(eventSubjects.deliveryBatch, 'kept')}`, codec.encode({ recipients: [recipient(supporters[1])] }));
    await harness.close();

    const result = await erasure.erase({ supporterId: erased, identifiers: [`${erased}@example.org`, `https://push.example.net/${erased}`] });
    expect(result).toEqual({ batchesRedacted: 2, messagesErased: 2 });

    expect((await stored(batchIds[0]))?.recipients.map((r) => r.supporterId)).toEqual(supporters.slice(0, 3));
    expect((await stored(batchIds[1]))?.recipients.map((r) => r.supporterId)).toEqual([supporters[3], supporters[5]]);
    expect((await stored(batchIds[1]))?.eventId).toBe(batchIds[1]);
    expect((await stored(batchIds[2]))?.recipients.map((r) => r.supporterId)).toEqual(supporters.slice(6, 9));
    expect((await stored(otherId))?.recipients).toHaveLength(1);
    expect((await stored(resendId))?.recipients.map((r) => r.supporterId)).toEqual([supporters[3]]);

    const everything: string[] = [];
    for (const stream of ['DELIVERY_BATCHES', 'DELIVERY_JOBS', 'DEAD_LETTER']) {
      const { state } = await jsm.streams.info(stream);
      for (let seq = state.first_seq; state.last_seq > 0 && seq <= state.last_seq; seq++) {
        const message = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
        if (message) everything.push(new TextDecoder().decode(message.data));
      }
    }
    expect(everything.filter((text) => text.includes(erased))).toEqual([]);
    expect(everything.filter((text) => text.includes(`${supporters[0]}@example.org`)).length).toBe(3);
    expect(everything.filter((text) => text.includes(`${supporters[1]}@example.org`)).length).toBe(2);

    // A second erasure finds nothing left, and a publish of a rewritten batch again is still refused (the subject stays taken).
    expect(await erasure.erase({ supporterId: erased, identifiers: [`${erased}@example.org`] })).toEqual({ batchesRedacted: 0, messagesErased: 0 });
    const again = await events.publish(
      eventSubjects.deliveryBatch,
      { eventId: batchIds[1], occurredAt: new Date().toISOString(), relay: content, recipients: supporters.slice(3, 6).map(recipient) },
      { msgId: `${batchIds[1]}:later` },
    );
    expect(again.duplicate).toBe(true);
  });
});
