import { createTransport, type SendMailOptions } from 'nodemailer';
import type { DeliveryConfig } from '@clarion/config';
import type { RelayContent } from '@clarion/contracts';
import { LinkSigner } from '@clarion/security';
import { SAMPLE_CRISIS_ALERT } from '@clarion/testing';
import type { EmailChannel, EmailMessage, RawEmailMessage } from '../apps/delivery/src/channels/email/email.channel';
import { EmailSender } from '../apps/delivery/src/channels/email/email.sender';
import type { FeedbackPublisher } from '../apps/delivery/src/feedback/feedback.publisher';
import { MessageLinks } from '../apps/delivery/src/rendering/message-links';
import { RelayMessages, type RecipientRef } from '../apps/delivery/src/rendering/relay-messages';
import type { SenderIdentity } from '../apps/delivery/src/sender-identity/sender-identity';

/**
 * What composing an alert email costs delivery's CPU, without SMTP: the
 * sample crisis alert rendered by RelayMessages for recipients in its three
 * languages, each message written into nodemailer's stream transport (the
 * whole message in a Buffer) either (a) composed by nodemailer from its
 * fields, as delivery did, or (b) put together by mime-message.ts and handed
 * over as `raw`, as EmailSender does now. CPU ms (user + system) per 1,000
 * messages, medians of --runs, interleaved; run with
 * `node dist/bench/email-compose.js [--messages N] [--runs N]`.
 */
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const MESSAGES = arg('messages', 5_000);
const RUNS = arg('runs', 5);
const LANGUAGES = ['en', 'fr', 'sw'];

const relay: RelayContent = {
  relayId: '6650f1c2a1b2c3d4e5f60718',
  alertId: '6650f1c2a1b2c3d4e5f60719',
  alertVersion: 1,
  coalitionId: '6650f1c2a1b2c3d4e5f6071a',
  orgId: '6650f1c2a1b2c3d4e5f6071b',
  org: { name: 'Défenseurs & Co', slug: 'defenseurs', senderName: 'Défenseurs & Co', colour: '#b91c1c', logoUrl: 'https://defenseurs.example.org/logo.png' },
  primaryLanguage: SAMPLE_CRISIS_ALERT.primaryLanguage,
  texts: Object.fromEntries(
    Object.entries(SAMPLE_CRISIS_ALERT.texts).map(([language, text]) => [
      language,
      { ...text, bodyHtml: `<p>${text.body.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')}</p>` },
    ]),
  ),
  ctaUrl: SAMPLE_CRISIS_ALERT.ctaUrl,
  intro: 'From all of us at Défenseurs & Co:',
  urgency: SAMPLE_CRISIS_ALERT.urgency,
  channels: ['email'],
};
const identity: SenderIdentity = { orgId: relay.orgId, senderName: relay.org.senderName, vapid: { publicKey: 'p', privateKey: 'k', subject: 'mailto:x@example.org' } };
const config = { MAIL_FROM: 'alerts@clarion.example.org' } as DeliveryConfig;
const links = new MessageLinks(new LinkSigner('a-bench-installation-secret-of-enough-length'), 'https://clarion.example.org/');

const recipients: Array<[RecipientRef, string]> = Array.from({ length: MESSAGES }, (_, i) => {
  const id = i.toString(16).padStart(24, '0');
  return [{ supporterId: id, language: LANGUAGES[i % LANGUAGES.length], deliveryId: `d${id.slice(1)}` }, `supporter${i}@mail.example.org`];
});

/** Every message goes into the same stream transport; the channel stands in for EmailChannel's pool. */
function channelInto(transport: ReturnType<typeof createTransport>): EmailChannel {
  const signal = new AbortController().signal;
  return {
    deadline: () => signal,
    send: async ({ smtpUrl: _smtpUrl, deadline, ...mail }: EmailMessage | RawEmailMessage) => {
      await transport.sendMail({ ...(mail as SendMailOptions), signal: deadline });
      return { kind: 'sent' as const };
    },
  } as unknown as EmailChannel;
}

/** (a) The fields delivery handed nodemailer to compose before mime-message.ts. */
function composedByNodemailer(channel: EmailChannel, messages: RelayMessages): (ref: RecipientRef, to: string) => Promise<unknown> {
  const from = config.MAIL_FROM;
  const deadline = channel.deadline();
  return (ref, to) => {
    const { subject, html, text, headers, relayHeaders } = messages.email(ref);
    return channel.send({ from: { name: identity.senderName, address: from }, to, subject, html, text, headers: { ...headers, ...relayHeaders }, messageId: `<${ref.deliveryId}@clarion.example.org>`, deadline });
  };
}

/** CPU ms per 1,000 messages, rendering the relay afresh as a batch does. */
async function once(way: 'nodemailer' | 'raw'): Promise<number> {
  const transport = createTransport({ streamTransport: true, buffer: true });
  const channel = channelInto(transport);
  const messages = new RelayMessages(relay, links);
  const send =
    way === 'raw' ? new EmailSender(channel, {} as FeedbackPublisher, config).forRelay({ relay, identity, messages }) : composedByNodemailer(channel, messages);
  const started = process.cpuUsage();
  for (const [ref, address] of recipients) await send(ref, address);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / (MESSAGES / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  // A first pass of each, untimed, so both are measured with the JIT warm.
  await once('nodemailer');
  await once('raw');
  const results = { nodemailer: [] as number[], raw: [] as number[] };
  // Interleaved, so a noisy moment on the machine falls on both alike.
  for (let run = 0; run < RUNS; run++) {
    results.nodemailer.push(await once('nodemailer'));
    results.raw.push(await once('raw'));
  }
  const composed = median(results.nodemailer);
  const raw = median(results.raw);
  console.log(`alert email into nodemailer's stream transport, ${MESSAGES} messages (${LANGUAGES.join(', ')}), median of ${RUNS} runs`);
  console.log('way                         CPU ms / 1,000 messages');
  console.log(`(a) nodemailer composes     ${composed.toFixed(1).padStart(10)}`);
  console.log(`(b) raw (mime-message.ts)   ${raw.toFixed(1).padStart(10)}`);
  console.log(`(a) ÷ (b)                   ${(composed / raw).toFixed(2).padStart(10)}`);
}

void main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
