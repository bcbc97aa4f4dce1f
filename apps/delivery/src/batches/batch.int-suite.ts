import { createHash } from 'node:crypto';
import { eventSubjects } from '@clarion/contracts';
import { LinkSigner } from '@clarion/security';
import { MessageLinks } from '../rendering/message-links';
import { RelayMessages } from '../rendering/relay-messages';
import { DeliveryTestBed, eventually, PUBLIC_BASE_URL, SECRET_KEY } from '../test/delivery-test-bed';

describe('delivery batches', () => {
  let bed: DeliveryTestBed;
  const signer = new LinkSigner(SECRET_KEY);

  beforeAll(async () => {
    bed = await DeliveryTestBed.start('delivery_batches');
  });
  afterAll(async () => bed?.stop());

  const emailsTo = (address: string | undefined) => bed.smtp.messages().filter((message) => message.envelope.to.includes(address ?? ''));

  it('sends each recipient the alert by email and push, in their language, in the organisation’s name', async () => {
    const { orgId, identity } = bed.organisation({ senderName: 'Amnesty Nairobi' });
    const relay = bed.relay(orgId);
    const ada = bed.supporter('ada', 'fr');
    const bo = bed.supporter('bo', 'sw');
    await bed.publishBatch(bed.batch(relay, [ada, bo]));

    const ledger = await bed.settledLedger(relay.relayId, 4);
    expect(ledger.map((record) => record.state)).toEqual(['sent', 'sent', 'sent', 'sent']);
    const deliveryIds = new Set(ledger.map((record) => record._id.toHexString()));

    const [toAda] = emailsTo(ada.contacts.email);
    const [toBo] = emailsTo(bo.contacts.email);
    expect(toAda.from).toEqual({ name: 'Amnesty Nairobi', address: bed.config.MAIL_FROM });
    expect(toAda.subject).toBe('Libérez les journalistes');
    expect(toBo.subject).toBe('Free the journalists');
    for (const email of [toAda, toBo]) {
      expect(deliveryIds.has(email.headers['x-clarion-delivery-id'])).toBe(true);
      expect(email.headers['x-clarion-relay-id']).toBe(relay.relayId);
      expect(email.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      const unsubscribe = /^<(.+)\/u\/([^>]+)>$/.exec(email.headers['list-unsubscribe']);
      expect(unsubscribe?.[1]).toBe(PUBLIC_BASE_URL);
      expect(signer.verify('unsubscribe', unsubscribe?.[2] ?? '')).toMatchObject({ c: 'email', o: orgId });
      const click = new RegExp(`href="${PUBLIC_BASE_URL}/c/([^"]+)"`).exec(email.html)?.[1] ?? '';
      expect(signer.verify('click', click)).toEqual({ k: 'click', r: relay.relayId, ch: 'email' });
    }
    expect(signer.verify('unsubscribe', /\/u\/([^>]+)>/.exec(toAda.headers['list-unsubscribe'])?.[1] ?? '')).toMatchObject({ s: ada.supporterId });

    const [pushToAda] = bed.push.messages(ada.pushId);
    const [pushToBo] = bed.push.messages(bo.pushId);
    expect(pushToAda.json).toMatchObject({ title: 'Libérez les journalistes', relayId: relay.relayId, urgency: 'critical', url: expect.stringMatching(`^${PUBLIC_BASE_URL}/c/`) });
    expect(pushToBo.json).toMatchObject({ title: 'Free the journalists' });
    expect(pushToAda.urgency).toBe('high');
    expect(pushToAda.ttl).toBeGreaterThan(2 * 60 * 60 - 60);
    expect(pushToAda.ttl).toBeLessThanOrEqual(2 * 60 * 60);
    expect(pushToAda.vapidPublicKey).toBe(identity.vapid.publicKey);
    expect(deliveryIds.has((pushToAda.json as { deliveryId: string }).deliveryId)).toBe(true);
  });

  it('delivers an alert email over SMTP as rendered: non-ASCII sender name and subject, bodies byte for byte, its own Message-ID', async () => {
    const { orgId } = bed.organisation({ senderName: 'Défenseurs & Co' });
    const pt = { title: 'Ação Urgente — Nairobi ✊', body: '', bodyHtml: `<p>${'Os comptes da comissão foram congelados esta manhã. '.repeat(3)}<br>\n.Assine hoje.</p>`, ctaLabel: 'Assine' };
    const relay = bed.relay(orgId, { channels: ['email'], texts: { ...bed.relay(orgId).texts, pt } });
    const amani = bed.supporter('amani', 'pt', { email: true });
    const wanjiru = bed.supporter('wanjiru', 'pt', { email: true });
    await bed.publishBatch(bed.batch(relay, [amani, wanjiru]));

    const ledger = await bed.settledLedger(relay.relayId, 2);
    expect(ledger.map((record) => record.state)).toEqual(['sent', 'sent']);
    const messages = new RelayMessages(relay, new MessageLinks(signer, PUBLIC_BASE_URL));
    for (const supporter of [amani, wanjiru]) {
      const [email] = emailsTo(supporter.contacts.email);
      const deliveryId = email.headers['x-clarion-delivery-id'];
      const rendered = messages.email({ supporterId: supporter.supporterId, language: 'pt', deliveryId });
      expect(ledger.find((record) => record._id.toHexString() === deliveryId)?.supporterId).toBe(supporter.supporterId);
      expect(email.from).toEqual({ name: 'Défenseurs & Co', address: bed.config.MAIL_FROM });
      expect(email.to).toEqual([supporter.contacts.email]);
      expect(email.subject).toBe('Ação Urgente — Nairobi ✊');
      expect(email.headers['message-id']).toBe(`<${deliveryId}@${bed.config.MAIL_FROM.split('@')[1]}>`);
      expect(email.text).toBe(rendered.text);
      expect(email.html).toBe(rendered.html);
    }
  });

  it('sends nothing twice when the same recipients come again in a republished batch', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId);
    const recipients = [bed.supporter('cy'), bed.supporter('di'), bed.supporter('ed', 'en', { email: true })];
    const batch = bed.batch(relay, recipients);
    await bed.publishBatch(batch);
    await bed.settledLedger(relay.relayId, 5);

    const newcomer = bed.supporter('fay', 'en', { email: true });
    // Under another batch id: the stream refuses the same batch id for as long as it keeps the first.
    const again = bed.batch(relay, [...recipients, newcomer], `${batch.eventId}-again`);
    await bed.publishBatch(again);
    await bed.settledLedger(relay.relayId, 6);

    for (const recipient of [...recipients, newcomer]) expect(emailsTo(recipient.contacts.email)).toHaveLength(1);
    expect(bed.push.messages(recipients[0].pushId)).toHaveLength(1);
    expect(bed.push.messages(recipients[1].pushId)).toHaveLength(1);
    expect((await bed.ledger(relay.relayId)).map((record) => record.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('marks a gone push subscription expired and tells subscriptions', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { channels: ['push'] });
    const gone = bed.supporter('gone');
    bed.push.expire(gone.pushId ?? '');
    await bed.publishBatch(bed.batch(relay, [gone]));

    const [record] = await bed.settledLedger(relay.relayId, 1);
    expect(record).toMatchObject({ channel: 'push', state: 'expired', attempts: 1 });
    const events = await eventually('pushGone event', async () => {
      const found = (await bed.feedback(eventSubjects.pushGone)).filter((event) => event.supporterId === gone.supporterId);
      return found.length > 0 ? found : undefined;
    });
    const endpointHash = createHash('sha256').update(gone.contacts.push?.endpoint ?? '').digest('hex');
    expect(events).toEqual([expect.objectContaining({ eventId: `gone:${record._id.toHexString()}`, orgId, status: 410, endpointHash })]);
    expect(JSON.stringify(events)).not.toContain(gone.pushId);
    expect(record.lastError).not.toContain(gone.pushId);
  });

  it('suppresses an address the mail server refuses for good and tells subscriptions', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { channels: ['email'] });
    const refused = bed.supporter('refused', 'en', { email: true });
    bed.faults.smtp.set(refused.contacts.email ?? '', [{ code: 550, message: 'No such user here' }]);
    await bed.publishBatch(bed.batch(relay, [refused]));

    const [record] = await bed.settledLedger(relay.relayId, 1);
    expect(record).toMatchObject({ state: 'suppressed', attempts: 1 });
    expect(record.lastError).not.toContain(refused.contacts.email);
    const events = await eventually('emailRejected event', async () => {
      const found = (await bed.feedback(eventSubjects.emailRejected)).filter((event) => event.supporterId === refused.supporterId);
      return found.length > 0 ? found : undefined;
    });
    expect(events).toEqual([expect.objectContaining({ eventId: `rejected:${record._id.toHexString()}`, orgId, smtpCode: 550 })]);
    expect(emailsTo(refused.contacts.email)).toHaveLength(0);
  });

  it('retries an address the mail server deferred, and sends it exactly once', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { channels: ['email'] });
    const deferred = bed.supporter('deferred', 'en', { email: true });
    const fine = bed.supporter('fine', 'en', { email: true });
    bed.faults.smtp.set(deferred.contacts.email ?? '', [{ code: 450, message: 'Greylisted, try again later' }]);
    await bed.publishBatch(bed.batch(relay, [deferred, fine]));

    const ledger = await bed.settledLedger(relay.relayId, 2);
    const bySupporter = new Map(ledger.map((record) => [record.supporterId, record]));
    expect(bySupporter.get(deferred.supporterId)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(bySupporter.get(fine.supporterId)).toMatchObject({ state: 'sent', attempts: 1 });
    expect(emailsTo(deferred.contacts.email)).toHaveLength(1);
    expect(emailsTo(fine.contacts.email)).toHaveLength(1);
  });

  it('waits as long as a rate-limiting push service asks before trying again', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { channels: ['push'] });
    const limited = bed.supporter('limited', 'en', { push: true });
    bed.faults.push.set(limited.pushId ?? '', [{ status: 429, retryAfter: 2 }]);
    const started = Date.now();
    await bed.publishBatch(bed.batch(relay, [limited]));

    const [record] = await bed.settledLedger(relay.relayId, 1);
    expect(record).toMatchObject({ state: 'sent', attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(bed.push.messages(limited.pushId)).toHaveLength(1);
  });

  it('refuses at send time a push endpoint on a private address', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { channels: ['push'] });
    const sneaky = bed.supporter('sneaky', 'en', { push: true });
    const before = bed.push.count;
    const recipient = { ...sneaky, contacts: { push: { ...sneaky.contacts.push!, endpoint: 'https://10.0.0.1/push/x' } } };
    await bed.publishBatch(bed.batch(relay, [recipient]));

    const [record] = await bed.settledLedger(relay.relayId, 1);
    expect(record).toMatchObject({ state: 'suppressed', lastError: expect.stringContaining('non-public address') });
    expect(bed.push.count).toBe(before);
  });

  it('sends nothing for a relay whose alert has expired', async () => {
    const { orgId } = bed.organisation();
    const relay = bed.relay(orgId, { expiresAt: new Date(Date.now() - 1_000).toISOString() });
    const late = bed.supporter('late');
    await bed.publishBatch(bed.batch(relay, [late]));

    const ledger = await bed.settledLedger(relay.relayId, 2);
    expect(ledger.map((record) => record.state)).toEqual(['expired', 'expired']);
    expect(emailsTo(late.contacts.email)).toHaveLength(0);
    expect(bed.push.messages(late.pushId)).toHaveLength(0);
  });
});
