import { createTransport } from 'nodemailer';
import webpush from 'web-push';
import { PlaintextPushAgent } from '@clarion/security';
import { PushService } from './push-service';
import { SmtpSink, type ReceivedEnvelope } from './smtp-sink';

/** The hooks the benchmark times arrivals with: told of every message taken, in count-only and sampling modes too. */
describe('sink hooks', () => {
  it('tells the SMTP sink’s onMessage of each message, with its recipients and delivery id, in count-only mode', async () => {
    const seen: ReceivedEnvelope[] = [];
    const sink = await SmtpSink.start({ parse: false, onMessage: (message) => seen.push(message) });
    const transport = createTransport({ pool: true, url: sink.smtpUrl, logger: false });
    try {
      await transport.sendMail({ from: 'a@example.org', to: ['x@example.org', 'y@example.org'], subject: 's', text: 't', headers: { 'X-Clarion-Delivery-Id': 'dlv-1' } });
      await transport.sendMail({ from: 'a@example.org', to: 'z@example.org', subject: 's', text: 't' });
      expect(seen).toEqual([
        { from: 'a@example.org', to: ['x@example.org', 'y@example.org'], deliveryId: 'dlv-1' },
        { from: 'a@example.org', to: ['z@example.org'], deliveryId: undefined },
      ]);
    } finally {
      transport.close();
      await sink.stop();
    }
  });

  it('tells the push service’s onAccepted of every push it answers 201, sampled or not, and of no refused one', async () => {
    const accepted: [string, string | null][] = [];
    const service = await PushService.start({ decrypt: 'sample', onAccepted: (id, label) => accepted.push([id, label]) });
    const agent = new PlaintextPushAgent();
    const vapidDetails = { subject: 'mailto:ops@example.org', ...webpush.generateVAPIDKeys() };
    try {
      const first = service.createSubscription('first');
      const second = service.createSubscription('second');
      const gone = service.createSubscription('gone');
      service.expire(gone.id);
      for (const { subscription } of [first, second, second]) {
        await webpush.sendNotification(subscription, 'hello', { vapidDetails, TTL: 60, contentEncoding: 'aes128gcm', agent });
      }
      await expect(webpush.sendNotification(gone.subscription, 'hello', { vapidDetails, TTL: 60, contentEncoding: 'aes128gcm', agent })).rejects.toMatchObject({
        statusCode: 410,
      });
      expect(accepted).toEqual([
        [first.id, 'first'],
        [second.id, 'second'],
        [second.id, 'second'],
      ]);
    } finally {
      agent.destroy();
      await service.stop();
    }
  });
});
