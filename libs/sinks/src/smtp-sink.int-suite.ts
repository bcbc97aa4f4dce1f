import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { SmtpSink, type SmtpSinkMessage } from './smtp-sink';

function pooledTransport(sink: SmtpSink): Transporter<SMTPPool.SentMessageInfo> {
  return nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

const from = { name: 'Clarion Alerts', address: 'alerts@clarion.test' };

describe('SmtpSink', () => {
  describe('parsing mode', () => {
    let sink: SmtpSink;
    let transport: Transporter<SMTPPool.SentMessageInfo>;

    beforeAll(async () => {
      sink = await SmtpSink.start({
        onRecipient: (address) => {
          if (address.startsWith('bounce@')) return { code: 550, message: 'No such user here' };
          if (address.startsWith('closing@')) return { code: 421, message: 'Too busy, come back later' };
          return address.startsWith('reset@') ? 'reset' : undefined;
        },
      });
      transport = pooledTransport(sink);
    });

    afterAll(async () => {
      transport.close();
      await sink.stop();
    });

    beforeEach(() => sink.clear());

    it('parses a message and serves it over GET /messages', async () => {
      await transport.sendMail({
        from,
        to: 'ada@example.org',
        subject: 'Flood warning: Riverside',
        text: 'Move to higher ground now.',
        html: '<p>Move to <b>higher ground</b> now.</p>',
        list: { unsubscribe: { url: 'https://clarion.test/u/tok-1', comment: 'Unsubscribe' } },
        headers: { 'X-Clarion-Delivery-Id': 'dlv-1', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
      });
      await sink.waitForCount(1, 5_000);

      const [message] = await getJson<SmtpSinkMessage[]>(`${sink.httpUrl}/messages`);
      expect(message).toMatchObject({
        envelope: { from: 'alerts@clarion.test', to: ['ada@example.org'] },
        from,
        to: ['ada@example.org'],
        subject: 'Flood warning: Riverside',
        html: '<p>Move to <b>higher ground</b> now.</p>',
      });
      expect(message.text.trim()).toBe('Move to higher ground now.');
      expect(message.headers['list-unsubscribe']).toBe('<https://clarion.test/u/tok-1> (Unsubscribe)');
      expect(message.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(message.headers['x-clarion-delivery-id']).toBe('dlv-1');
      expect(sink.deliveryIds()).toEqual(['dlv-1']);
      expect(await getJson(`${sink.httpUrl}/messages/count`)).toEqual({ count: 1, recipients: 1 });
    });

    it('filters by recipient and by position, and clears over HTTP', async () => {
      await transport.sendMail({ from, to: 'ada@example.org', subject: 'first', text: '1' });
      await transport.sendMail({ from, to: 'bo@example.org', subject: 'second', text: '2' });
      await sink.waitForCount(2, 5_000);
      const [first] = sink.messages();

      const forBo = await getJson<SmtpSinkMessage[]>(`${sink.httpUrl}/messages?to=BO@example.org`);
      expect(forBo.map((message) => message.subject)).toEqual(['second']);
      const afterFirst = await getJson<SmtpSinkMessage[]>(`${sink.httpUrl}/messages?since=${first.id}`);
      expect(afterFirst.map((message) => message.subject)).toEqual(['second']);
      expect(await getJson<SmtpSinkMessage[]>(`${sink.httpUrl}/messages?since=${first.receivedAt}`)).toHaveLength(2);
      expect((await fetch(`${sink.httpUrl}/messages?since=yesterday`)).status).toBe(400);

      expect((await fetch(`${sink.httpUrl}/messages`, { method: 'DELETE' })).status).toBe(204);
      expect(await getJson(`${sink.httpUrl}/messages/count`)).toEqual({ count: 0, recipients: 0 });
      expect(await getJson(`${sink.httpUrl}/health`)).toEqual({ status: 'ok' });
    });

    it('refuses a recipient the hook faults with 550 and delivers to the others', async () => {
      const info = await transport.sendMail({ from, to: ['ok@example.org', 'bounce@example.org'], subject: 'partial', text: 'x' });
      expect(info.accepted).toEqual(['ok@example.org']);
      expect(info.rejected).toEqual(['bounce@example.org']);
      expect(info.rejectedErrors?.[0]).toMatchObject({ responseCode: 550, response: '550 No such user here' });

      await expect(transport.sendMail({ from, to: 'bounce@example.org', subject: 'none', text: 'x' })).rejects.toMatchObject({
        code: 'EENVELOPE',
        responseCode: 550,
      });
      await sink.waitForCount(1, 5_000);
      expect(sink.messages().map((message) => message.envelope.to)).toEqual([['ok@example.org']]);
    });

    it('drops the connection without a reply when the hook says reset, and when it answers 421', async () => {
      // Unpooled, so nodemailer does not quietly requeue the message on a fresh connection.
      const single = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true });
      await expect(single.sendMail({ from, to: 'reset@example.org', subject: 'reset', text: 'x' })).rejects.toMatchObject({
        code: expect.stringMatching(/^(ECONNRESET|ESOCKET|ECONNECTION)$/),
      });
      await expect(single.sendMail({ from, to: 'closing@example.org', subject: 'closing', text: 'x' })).rejects.toMatchObject({
        code: 'ECONNECTION',
        responseCode: 421,
      });
      await transport.sendMail({ from, to: 'ok@example.org', subject: 'after', text: 'x' });
      await sink.waitForCount(1, 5_000);
      expect(sink.messages().map((message) => message.subject)).toEqual(['after']);
    });
  });

  describe('count-only mode', () => {
    let sink: SmtpSink;
    let transport: Transporter<SMTPPool.SentMessageInfo>;

    beforeAll(async () => {
      sink = await SmtpSink.start({ parse: false });
      transport = pooledTransport(sink);
    });

    afterAll(async () => {
      transport.close();
      await sink.stop();
    });

    it('counts messages and recipients and keeps delivery ids without storing messages', async () => {
      await Promise.all(
        ['dlv-a', 'dlv-b', 'dlv-c'].map((id) =>
          transport.sendMail({ from, to: ['x@example.org', 'y@example.org'], subject: id, text: 'body', headers: { 'X-Clarion-Delivery-Id': id } }),
        ),
      );
      await transport.sendMail({ from, to: 'z@example.org', subject: 'no id', text: 'body' });
      await sink.waitForCount(4, 5_000);

      expect(sink.count).toBe(4);
      expect(sink.recipientCount).toBe(7);
      expect(sink.deliveryIds().sort()).toEqual(['dlv-a', 'dlv-b', 'dlv-c']);
      expect(sink.messages()).toEqual([]);
      expect(await getJson(`${sink.httpUrl}/messages/count`)).toEqual({ count: 4, recipients: 7 });
    });

    it('rejects waitForCount on timeout with a message saying what was missing', async () => {
      sink.clear();
      await expect(sink.waitForCount(1, 50)).rejects.toThrow('timed out after 50 ms waiting for 1 messages; received 0');
    });
  });

  describe('with required credentials', () => {
    it('takes mail only from a client with the right user and password', async () => {
      const sink = await SmtpSink.start({ credentials: { user: 'relay', pass: 's3cret/pass@word' } });
      const send = (auth?: { user: string; pass: string }) => {
        const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.smtpPort, secure: false, ignoreTLS: true, ...(auth ? { auth } : {}) });
        return transport.sendMail({ from, to: 'ok@example.org', subject: 'auth', text: 'x' }).finally(() => transport.close());
      };
      try {
        await expect(send({ user: 'relay', pass: 'wrong' })).rejects.toMatchObject({ responseCode: 535 });
        await expect(send()).rejects.toMatchObject({ responseCode: 530 });
        await send({ user: 'relay', pass: 's3cret/pass@word' });
        expect(sink.messages()).toHaveLength(1);
      } finally {
        await sink.stop();
      }
    });
  });
});

