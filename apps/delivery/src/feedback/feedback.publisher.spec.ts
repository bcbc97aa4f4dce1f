import { contactKeyHash } from '@clarion/channels';
import { contactRefusedV1, eventSubjects } from '@clarion/contracts';
import type { EventPublisher } from '@clarion/messaging';
import { FeedbackPublisher } from './feedback.publisher';

describe('FeedbackPublisher.contactRefused', () => {
  it('names the refused contact by the hash of its key, never the contact, once per delivery', async () => {
    const published: { subject: string; payload: unknown; msgId?: string }[] = [];
    const events = { publish: async (subject: string, payload: unknown, options?: { msgId?: string }) => void published.push({ subject, payload, msgId: options?.msgId }) };
    const feedback = new FeedbackPublisher(events as unknown as EventPublisher);
    const fact = { deliveryId: 'd'.repeat(24), orgId: 'a'.repeat(24), supporterId: 'b'.repeat(24) };

    await feedback.contactRefused('email', { kind: 'suppress', reason: 'mailbox unknown', code: 550 }, fact, 'ada@example.org');

    expect(published).toHaveLength(1);
    const [{ subject, payload, msgId }] = published;
    expect(subject).toBe(eventSubjects.contactRefused);
    expect(msgId).toBe(`refused:${fact.deliveryId}`);
    expect(contactRefusedV1.parse(payload)).toMatchObject({
      orgId: fact.orgId,
      supporterId: fact.supporterId,
      channel: 'email',
      outcome: 'suppress',
      keyHash: contactKeyHash('email', 'ada@example.org'),
      code: 550,
    });
    expect(JSON.stringify(payload)).not.toContain('ada@example.org');
  });
});
