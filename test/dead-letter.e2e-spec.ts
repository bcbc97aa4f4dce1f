import { randomUUID } from 'node:crypto';
import { JSONCodec, type JetStreamManager, type NatsConnection } from 'nats';
import { consumerFilterFor, deadLetterSubject, eventSubjects, subjectForEvent, type DeliveryBatch } from '@clarion/contracts';
import { EventPublisher } from '@clarion/messaging';
import { SmtpSink } from '@clarion/sinks';
import { startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually } from './support/api';
import { createOrg, type Org } from './support/directory-fixture';
import { storedMessages } from './support/streams';

const hex24 = () => randomUUID().replace(/-/g, '').slice(0, 24);

/**
 * A malformed delivery job on the DELIVERY_BATCHES stream, between valid
 * ones: delivery dead-letters it at once with the reason, and the valid jobs
 * before and after it are delivered (read back from the SMTP sink). Every
 * service is a process on real NATS and FerretDB; the jobs are put on the
 * stream directly, as subscriptions' fan-out would.
 */
describe('a malformed delivery job is dead-lettered and does not stall the queue', () => {
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let org: Org;

  beforeAll(async () => {
    infra = await startTestInfra();
    smtp = await SmtpSink.start();
    // One batch at a time (the default), so the valid job after the bad ones is only reached past them.
    network = await startNetwork(infra, {
      services: ['gateway', 'subscriptions', 'delivery'],
      env: { delivery: { SMTP_URL: smtp.smtpUrl, BATCH_CONCURRENCY: '1' } },
    });
    nc = await infra.connectHarness();
    jsm = await nc.jetstreamManager();
    // A real organisation: delivery asks subscriptions for its sender identity.
    org = await createOrg(new Api(network.gatewayUrl, network.adminToken), 'Dead Letter Org');
  });

  afterAll(async () => {
    await nc?.close();
    await network?.stopAll();
    await smtp?.stop();
    await infra?.stop();
  });

  function batch(label: string, emails: string[]): DeliveryBatch {
    const recipients = emails.map((email) => ({ supporterId: hex24(), language: 'en', contacts: { email } }));
    return {
      eventId: `test:${label}:${hex24()}`,
      occurredAt: new Date().toISOString(),
      relay: {
        relayId: hex24(),
        alertId: hex24(),
        alertVersion: 1,
        coalitionId: hex24(),
        orgId: org.id,
        org: { name: 'Dead Letter Org', slug: org.slug, senderName: 'Dead Letter Org', colour: '#aa3300' },
        primaryLanguage: 'en',
        texts: { en: { title: `Call ${label}`, body: 'Act now.', bodyHtml: '<p>Act now.</p>', ctaLabel: 'Act' } },
        ctaUrl: 'https://example.org/act',
        urgency: 'high',
        channels: ['email'],
      },
      recipients,
    };
  }

  it('dead-letters the malformed jobs with their reasons, once each, and delivers the valid jobs around them', async () => {
    const before = batch('before', ['before-1@example.org', 'before-2@example.org']);
    const after = batch('after', ['after-1@example.org', 'after-2@example.org']);
    const noRecipients = JSONCodec().encode({ ...batch('empty', ['x@example.org']), recipients: [] });
    const notJson = new TextEncoder().encode('{"eventId": "truncated');

    const publisher = new EventPublisher(nc.jetstream());
    const js = nc.jetstream();
    await publisher.publish(eventSubjects.deliveryBatch, before, { msgId: before.eventId });
    await js.publish(subjectForEvent(eventSubjects.deliveryBatch, `bad-${hex24()}`), noRecipients, { msgID: `test:bad:${hex24()}` });
    await js.publish(subjectForEvent(eventSubjects.deliveryBatch, `bad-${hex24()}`), notJson, { msgID: `test:bad:${hex24()}` });
    await publisher.publish(eventSubjects.deliveryBatch, after, { msgId: after.eventId });

    await smtp.waitForCount(4, 30_000);
    const delivered = smtp.messages().map((m) => `${m.to[0]} ${m.subject}`);

    const letters = await eventually('two dead letters', async () => {
      const found = await storedMessages(jsm, 'DEAD_LETTER', deadLetterSubject(consumerFilterFor(eventSubjects.deliveryBatch)));
      return found.length >= 2 ? found : undefined;
    });
    // Acked or terminated, nothing left waiting or in flight: the queue is not stalled.
    const consumer = await eventually('queue drained', async () => {
      const info = await jsm.consumers.info('DELIVERY_BATCHES', 'delivery-batches');
      return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
    });

    const reasons = letters.map((l) => l.headers?.get('Clarion-Dead-Letter-Reason'));
    process.stdout.write(
      `[dead letter] delivered ${delivered.length}: ${JSON.stringify(delivered.sort())}; ` +
        `dead-lettered ${letters.length}: ${JSON.stringify(reasons)}; delivery-batches pending ${consumer.num_pending}, in flight ${consumer.num_ack_pending}\n`,
    );
    expect(delivered).toEqual(['after-1@example.org Call after', 'after-2@example.org Call after', 'before-1@example.org Call before', 'before-2@example.org Call before']);
    expect(letters).toHaveLength(2);
    expect(letters.map((l) => l.headers?.get('Clarion-Dead-Letter-Consumer'))).toEqual(['delivery-batches', 'delivery-batches']);
    // Straight to the dead letters on the first attempt: a validation failure is not retried.
    expect(reasons).toEqual([expect.stringMatching(/^recipients: /), 'payload is not JSON']);
    expect(Buffer.from(letters[0].data).equals(Buffer.from(noRecipients))).toBe(true);
    expect(Buffer.from(letters[1].data).equals(Buffer.from(notJson))).toBe(true);
  });
});
