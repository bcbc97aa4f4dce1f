import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import webpush from 'web-push';
import { PlaintextPushAgent } from '@clarion/security';
import type { PushSubscriptionJson } from '@clarion/sinks';

/**
 * The raw baseline's sender, a child process of the benchmark (so it does not
 * share a core with the sinks): nodemailer's pooled SMTP transport and
 * web-push's sendNotification, used as their documentation shows, with no
 * Clarion in between. Messages are shaped like Clarion's (HTML and text
 * bodies, unsubscribe headers and a delivery id; a JSON push payload).
 */

export interface RawJob {
  smtpUrl: string;
  /** delivery's SMTP_POOL_SIZE */
  poolSize: number;
  /** delivery's SEND_CONCURRENCY, for each channel */
  concurrency: number;
  emails: string[];
  pushes: PushSubscriptionJson[];
  vapid: { subject: string; publicKey: string; privateKey: string };
}

export type RawRequest = { type: 'job'; job: RawJob } | { type: 'go' };
export type RawReply = { type: 'ready' } | { type: 'done'; failed: { email: number; push: number }; firstError?: string; maxRssKb: number };

const PUSH_TTL_S = 24 * 60 * 60;
const LANGUAGE_TEXT = {
  en: { title: 'Stand with the Kenya Human Rights Commission', body: 'Its accounts were frozen this morning. Add your name.', cta: 'Sign the letter' },
  fr: { title: 'Solidarité avec la KHRC', body: 'Ses comptes ont été gelés ce matin. Ajoutez votre nom.', cta: 'Signez la lettre' },
  sw: { title: 'Simama na KHRC', body: 'Akaunti zake zimefungwa leo asubuhi. Ongeza jina lako.', cta: 'Saini barua' },
};
const LANGUAGES = Object.keys(LANGUAGE_TEXT) as (keyof typeof LANGUAGE_TEXT)[];
const BASE = 'http://127.0.0.1:3000';

function emailFor(to: string, index: number) {
  const text = LANGUAGE_TEXT[LANGUAGES[index % LANGUAGES.length]];
  const deliveryId = randomUUID();
  const unsubscribe = `${BASE}/u/${deliveryId}.${randomUUID()}`;
  const preferences = `${BASE}/p/${deliveryId}.${randomUUID()}`;
  const click = `${BASE}/c/${deliveryId}.${randomUUID()}`;
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${text.title}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5">
<div style="max-width:600px;margin:0 auto;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#18181b">
<div style="background:#aa3300;color:#ffffff;padding:16px 24px;font-weight:bold">Bench Org</div>
<div style="padding:8px 24px 24px"><p style="font-size:12px;margin:0 0 16px"><a href="${BASE}/a/view" style="color:#71717a">View in your browser</a></p>
<h1 style="font-size:22px;line-height:1.3;margin:0 0 16px">${text.title}</h1>
<p>${text.body}</p>
<p style="margin:24px 0"><a href="${click}" style="display:inline-block;background:#aa3300;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${text.cta}</a></p></div>
<div style="padding:16px 24px;border-top:1px solid #e4e4e7;font-size:12px;color:#71717a"><p style="margin:0 0 8px">You get this because you support Bench Org.</p>
<p style="margin:0"><a href="${preferences}" style="color:#71717a">Preferences</a> · <a href="${unsubscribe}" style="color:#71717a">Unsubscribe</a></p></div>
</div>
</body>
</html>
`;
  const plain = `${text.title}\n\n${text.body}\n\n${text.cta}: ${click}\n\n--\nBench Org\nYou get this because you support Bench Org.\nPreferences: ${preferences}\nUnsubscribe: ${unsubscribe}\n`;
  return {
    from: { name: 'Bench Org', address: 'alerts@clarion.local' },
    to,
    subject: text.title,
    html,
    text: plain,
    messageId: `<${deliveryId}@clarion.local>`,
    headers: { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'X-Clarion-Delivery-Id': deliveryId },
  };
}

function pushPayload(index: number): string {
  const text = LANGUAGE_TEXT[LANGUAGES[index % LANGUAGES.length]];
  return JSON.stringify({ title: text.title, body: text.body, url: `${BASE}/c/${randomUUID()}`, deliveryId: randomUUID(), relayId: 'raw', urgency: 'critical' });
}

async function bounded<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function run(job: RawJob): Promise<Extract<RawReply, { type: 'done' }>> {
  const transport = createTransport({ pool: true, url: job.smtpUrl, maxConnections: job.poolSize, logger: false });
  const agent = new PlaintextPushAgent();
  const failed = { email: 0, push: 0 };
  let firstError: string | undefined;
  const fail = (channel: 'email' | 'push', error: unknown) => {
    failed[channel] += 1;
    firstError ??= `${channel}: ${error instanceof Error ? error.message : String(error)}`;
  };
  try {
    await Promise.all([
      bounded(job.emails, job.concurrency, (to, index) => transport.sendMail(emailFor(to, index)).then(() => undefined, (error) => fail('email', error))),
      bounded(job.pushes, job.concurrency, (subscription, index) =>
        webpush
          .sendNotification(subscription, pushPayload(index), {
            vapidDetails: job.vapid,
            TTL: PUSH_TTL_S,
            urgency: 'high',
            contentEncoding: 'aes128gcm',
            agent,
          })
          .then(() => undefined, (error) => fail('push', error)),
      ),
    ]);
  } finally {
    transport.close();
    agent.destroy();
  }
  return { type: 'done', failed, firstError, maxRssKb: process.resourceUsage().maxRSS };
}

// The benchmark hands over the job, waits until every sender is ready, then says go to all at once.
let job: RawJob | undefined;
process.on('message', (request: RawRequest) => {
  const reply = (message: RawReply) => process.send?.(message);
  if (request.type === 'job') {
    job = request.job;
    reply({ type: 'ready' });
    return;
  }
  const mine = job;
  if (!mine) return;
  run(mine).then(reply, (error: Error) =>
    reply({ type: 'done', failed: { email: mine.emails.length, push: mine.pushes.length }, firstError: error.message, maxRssKb: process.resourceUsage().maxRSS }),
  );
});
process.on('disconnect', () => process.exit(0));
