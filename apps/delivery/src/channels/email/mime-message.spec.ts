import { generateKeyPairSync } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { createTransport } from 'nodemailer';
import type { DeliveryConfig } from '@clarion/config';
import type { RelayContent } from '@clarion/contracts';
import type { FeedbackPublisher } from '../../feedback/feedback.publisher';
import { RelayMessages, type RecipientRef } from '../../rendering/relay-messages';
import type { SenderIdentity } from '../../sender-identity/sender-identity';
import { sampleRelay, testLinks as links } from '../../test/sample-relay';
import type { EmailChannel, EmailMessage, RawEmailMessage } from './email.channel';
import { EmailSender } from './email.sender';

const LONG_LINE = `Les autorités ont gelé les comptes de la commission ce matin, sans décision de justice ni préavis, et ${'bloqué ses partenaires '.repeat(4)}.`;
const relay: RelayContent = {
  ...sampleRelay,
  org: { ...sampleRelay.org, name: 'Défenseurs & Co', senderName: 'Défenseurs & Co' },
  primaryLanguage: 'pt',
  texts: {
    pt: {
      title: 'Ação Urgente — Nairobi ✊',
      body: '',
      // A long line, a line that starts with a dot (SMTP's end of data) and '=' in a URL (quoted-printable's escape).
      bodyHtml: `<p>${LONG_LINE}<br>\n.Assine hoje.</p><p><a href="https://example.org/act?src=email&amp;ref=khrc=1">Leia a carta</a></p>`,
      ctaLabel: 'Assine a carta',
    },
    en: { title: 'Stand with KHRC', body: '', bodyHtml: '<p>Add your name.</p>', ctaLabel: 'Sign the letter' },
  },
};
const identity: SenderIdentity = {
  orgId: relay.orgId,
  senderName: 'Défenseurs & Co',
  vapid: { publicKey: 'p', privateKey: 'k', subject: 'mailto:x@example.org' },
};
const config = { MAIL_FROM: 'alerts@clarion.example' } as DeliveryConfig;

/** What was handed to the channel, and the message nodemailer made of it for the wire (its stream transport, no network). */
interface Sent {
  handed: EmailMessage | RawEmailMessage;
  source: Buffer;
  parsed: ParsedMail;
}

function sendingThrough(sent: Sent[]): EmailChannel {
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const channel = {
    deadline: () => new AbortController().signal,
    send: async (handed: EmailMessage | RawEmailMessage) => {
      const { smtpUrl: _smtpUrl, deadline, ...mail } = handed;
      const info = await transport.sendMail({ ...mail, signal: deadline });
      const source = info.message as Buffer;
      sent.push({ handed, source, parsed: await simpleParser(source) });
      return { kind: 'sent' as const };
    },
  };
  return channel as unknown as EmailChannel;
}

async function send(messages: RelayMessages, refs: Array<[RecipientRef, string]>, sender: SenderIdentity = identity): Promise<Sent[]> {
  const sent: Sent[] = [];
  const deliver = new EmailSender(sendingThrough(sent), {} as FeedbackPublisher, config).forRelay({ relay, identity: sender, messages });
  for (const [ref, address] of refs) await deliver(ref, address);
  return sent;
}

const amani: RecipientRef = { supporterId: '1'.repeat(24), language: 'pt', deliveryId: 'e'.repeat(24) };
const header = (parsed: ParsedMail, key: string) => parsed.headerLines.find((h) => h.key === key.toLowerCase())?.line.replace(/\r?\n\s/g, ' ');

describe('alert emails as ready messages', () => {
  it('parses back to the subject, sender, recipient, headers and the filled bodies, byte for byte', async () => {
    const messages = new RelayMessages(relay, links);
    const content = messages.email(amani);
    // The bodies have what quoted-printable and SMTP must carry through unchanged.
    expect(content.text.split('\n')).toEqual(expect.arrayContaining([LONG_LINE, '.Assine hoje.']));
    expect(content.html).toContain('ref=khrc=1');
    expect(content.html.split('\n').some((line) => line.length > 76)).toBe(true);

    const [{ handed, source, parsed }] = await send(messages, [[amani, 'amani@mfano.example']]);
    expect('raw' in handed && handed.envelope).toEqual({ from: 'alerts@clarion.example', to: 'amani@mfano.example' });
    expect(source.toString()).not.toMatch(/(^|[^\r])\n/);
    const [head, ...bodies] = source.toString().split('\r\n\r\n');
    // Headers fold at 76 where they can; only the unsubscribe URL cannot be broken.
    expect(head.split('\r\n').filter((line) => line.length > 76)).toEqual([` ${content.headers['List-Unsubscribe']}`]);
    expect(bodies.join('\r\n\r\n').split('\r\n').filter((line) => line.length > 76)).toEqual([]);
    expect(parsed.subject).toBe('Ação Urgente — Nairobi ✊');
    expect(parsed.from?.value).toEqual([{ name: 'Défenseurs & Co', address: 'alerts@clarion.example' }]);
    expect(parsed.to).toMatchObject({ value: [{ name: '', address: 'amani@mfano.example' }] });
    expect(parsed.messageId).toBe(`<${amani.deliveryId}@clarion.example>`);
    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.date).toBeInstanceOf(Date);
    expect(Math.abs(parsed.date!.getTime() - Date.now())).toBeLessThan(60_000);
    expect(header(parsed, 'List-Unsubscribe')).toBe(`List-Unsubscribe: ${content.headers['List-Unsubscribe']}`);
    expect(header(parsed, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header(parsed, 'X-Clarion-Delivery-Id')).toBe(`X-Clarion-Delivery-Id: ${amani.deliveryId}`);
    expect(header(parsed, 'X-Clarion-Relay-Id')).toBe(`X-Clarion-Relay-Id: ${relay.relayId}`);
    expect(header(parsed, 'X-PM-Metadata-clarion-delivery-id')).toBe(`X-PM-Metadata-clarion-delivery-id: ${amani.deliveryId}`);
    expect(header(parsed, 'X-SES-MESSAGE-TAGS')).toBe(`X-SES-MESSAGE-TAGS: clarion-delivery-id=${amani.deliveryId}`);
    expect(parsed.text).toBe(content.text);
    expect(parsed.html).toBe(content.html);
    expect(parsed.attachments).toEqual([]);
  });

  it('gives every recipient their own headers and links, in their language, and threads a follow-up under the original', async () => {
    const messages = new RelayMessages(relay, links, { kind: 'update' });
    const follow: RecipientRef = { ...amani, deliveryId: '0'.repeat(24), originalDeliveryId: 'e'.repeat(24) };
    const kamau: RecipientRef = { supporterId: '2'.repeat(24), language: 'en', deliveryId: 'f'.repeat(24) };
    const sent = await send(messages, [
      [follow, 'amani@mfano.example'],
      [kamau, 'kamau@mfano.example'],
    ]);
    expect(sent.map((s) => 'raw' in s.handed)).toEqual([true, true]);
    const [forAmani, forKamau] = sent.map((s) => s.parsed);
    expect(forAmani.inReplyTo).toBe(`<${'e'.repeat(24)}@clarion.example>`);
    expect(forAmani.references).toBe(`<${'e'.repeat(24)}@clarion.example>`);
    expect(forAmani.subject).toBe(messages.email(follow).subject);
    expect(forAmani.subject).toMatch(/Ação Urgente — Nairobi ✊$/);
    expect(forKamau.subject).toMatch(/Stand with KHRC$/);
    expect(forKamau.messageId).toBe(`<${'f'.repeat(24)}@clarion.example>`);
    expect(forKamau.text).toBe(messages.email(kamau).text);
    expect(forKamau.html).toBe(messages.email(kamau).html);
    expect(header(forKamau, 'X-Clarion-Delivery-Id')).toBe(`X-Clarion-Delivery-Id: ${'f'.repeat(24)}`);
    expect(forKamau.text).not.toContain(messages.email(follow).headers['List-Unsubscribe'].slice(1, -1));
  });

  it('leaves an internationalised address to nodemailer’s own composition, which still makes the same email', async () => {
    const messages = new RelayMessages(relay, links);
    const [{ handed, parsed }] = await send(messages, [[amani, 'wanjirũ@haki.example']]);
    expect('raw' in handed).toBe(false);
    expect(parsed.to).toMatchObject({ value: [{ address: 'wanjirũ@haki.example' }] });
    expect(parsed.subject).toBe('Ação Urgente — Nairobi ✊');
    expect(parsed.from?.value).toEqual([{ name: 'Défenseurs & Co', address: 'alerts@clarion.example' }]);
    expect(header(parsed, 'X-Clarion-Relay-Id')).toBe(`X-Clarion-Relay-ID: ${relay.relayId}`);
    expect(parsed.text).toBe(messages.email(amani).text);
    expect(parsed.html).toBe(messages.email(amani).html);
  });

  it('is signed with the organisation’s DKIM key, and the signature verifies', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = { domainName: 'clarion.example', keySelector: 'alerts', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    const txt = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const [{ handed, source }] = await send(new RelayMessages(relay, links), [[amani, 'amani@mfano.example']], { ...identity, dkim });
    expect('raw' in handed).toBe(true);
    const resolver = async (name: string, type: string) => {
      if (type === 'TXT' && name === 'alerts._domainkey.clarion.example') return [[txt]];
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    };
    const { results } = await dkimVerify(source, { resolver });
    expect(results.map((r: { status: { result: string } }) => r.status.result)).toEqual(['pass']);
  });
});
