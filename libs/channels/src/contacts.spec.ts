import { z } from 'zod';
import { channelNames, contactKeyHash, contactsSchema, withLegacyContacts } from './contacts';
import { endpointHashOf, pushChannel } from './push/push.contact';
import { emailChannel } from './email/email.contact';

const subscription = { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } };

describe('the channel registry', () => {
  it('lists email, push and SMS, in that order', () => {
    expect(channelNames).toEqual(['email', 'push', 'sms']);
  });

  it('checks and normalises each contact by its channel, naming the field', () => {
    expect(contactsSchema.parse({ email: '  Ada@Example.ORG ' })).toEqual({ email: 'ada@example.org' });
    const refused = contactsSchema.safeParse({ email: 'not an address', push: { ...subscription, keys: { p256dh: 'short', auth: 'a'.repeat(22) } } });
    expect(refused.success ? [] : refused.error.issues.map((issue) => issue.path.join('.'))).toEqual(['email', 'push.keys.p256dh']);
  });

  it('refuses a contact on a channel it does not know', () => {
    expect(contactsSchema.safeParse({ fax: '+15550100' }).success).toBe(false);
  });

  it('stores a push subscription with its endpoint hash, and sends it without the hash or the expiry', () => {
    const stored = pushChannel.stored(subscription);
    expect(stored).toEqual({ endpoint: subscription.endpoint, keys: subscription.keys, endpointHash: endpointHashOf(subscription.endpoint) });
    expect(pushChannel.sendable(stored)).toEqual({ endpoint: subscription.endpoint, keys: subscription.keys });
    expect(pushChannel.key.of(stored)).toBe(endpointHashOf(subscription.endpoint));
  });

  it('names the provider of a send by the mail domain or the push service origin', () => {
    expect(emailChannel.providerHost('ada@gmail.com', {})).toBe('gmail.com');
    expect(pushChannel.providerHost(subscription, {})).toBe('https://fcm.googleapis.com');
    expect(pushChannel.providerHost({ ...subscription, endpoint: 'not a url' }, {})).toBeUndefined();
  });

  it('names a contact in feedback by the hash of its key, never the contact', () => {
    const hash = contactKeyHash('email', 'ada@example.org');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('ada');
    expect(contactKeyHash('push', pushChannel.stored(subscription))).toBe(contactKeyHash('push', pushChannel.stored({ ...subscription, keys: { p256dh: 'C'.repeat(87), auth: 'b'.repeat(22) } })));
  });
});

describe('withLegacyContacts', () => {
  const recipient = withLegacyContacts(z.object({ supporterId: z.string(), contacts: contactsSchema }));

  it('reads a message stored before the registry, with each contact beside the other fields', () => {
    expect(recipient.parse({ supporterId: 's', email: 'ada@example.org', push: subscription })).toEqual({ supporterId: 's', contacts: { email: 'ada@example.org', push: subscription } });
  });

  it('reads the contacts map as it is', () => {
    expect(recipient.parse({ supporterId: 's', contacts: { email: 'ada@example.org' } })).toEqual({ supporterId: 's', contacts: { email: 'ada@example.org' } });
  });
});
