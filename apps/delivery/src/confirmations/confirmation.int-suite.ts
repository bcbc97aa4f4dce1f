import { randomBytes } from 'node:crypto';
import { eventSubjects } from '@clarion/contracts';
import { DeliveryTestBed } from '../test/delivery-test-bed';

describe('confirmation emails', () => {
  let bed: DeliveryTestBed;

  beforeAll(async () => {
    bed = await DeliveryTestBed.start('delivery_confirmations');
  });
  afterAll(async () => bed?.stop());

  it('sends the double opt-in email in the organisation’s name and the supporter’s language', async () => {
    const { orgId } = bed.organisation({ senderName: 'Ligue des droits' });
    const supporterId = randomBytes(12).toString('hex');
    const confirmUrl = `https://clarion.test/confirm/${randomBytes(16).toString('base64url')}`;
    await bed.publish(eventSubjects.confirmationEmail, {
      eventId: `confirm:${supporterId}:1`,
      occurredAt: new Date().toISOString(),
      orgId,
      org: { name: 'Ligue', slug: 'ligue', senderName: 'Ligue des droits', colour: '#003399' },
      supporterId,
      email: `${supporterId}@supporters.example.org`,
      language: 'fr',
      confirmUrl,
    });

    await bed.smtp.waitForCount(1);
    const [email] = bed.smtp.messages();
    expect(email.from).toEqual({ name: 'Ligue des droits', address: bed.config.MAIL_FROM });
    expect(email.to).toEqual([`${supporterId}@supporters.example.org`]);
    expect(email.subject).toBe('Confirmez vos alertes de Ligue');
    expect(email.html).toContain(`href="${confirmUrl}"`);
    expect(email.html).toContain('background:#003399;color:#ffffff');
    expect(email.text).toContain(`Confirmer: ${confirmUrl}`);
  });
});
