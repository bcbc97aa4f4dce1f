import { Types } from 'mongoose';
import type { EmailState, PushState } from '@clarion/channels';
import type { AudienceMember } from '../supporters/supporter.repository';
import { recipientFor, topicsMatch, type Audience } from './audience';

const push = { endpoint: 'https://push.example.org/abc', keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) }, endpointHash: 'h' };
const member = (overrides: Partial<AudienceMember> = {}, states: { email?: EmailState; push?: PushState } = {}): AudienceMember => ({
  _id: new Types.ObjectId('65a000000000000000000001'),
  contacts: { email: { address: 'ada@example.org', state: states.email ?? 'active' }, push: { address: push, state: states.push ?? 'active' } },
  language: 'sw',
  topics: [],
  ...overrides,
});
const both: Audience = { channels: ['email', 'push'], alertTopics: [] };

describe('topicsMatch', () => {
  it.each([
    [[], [], true],
    [[], ['climate'], true],
    [['climate'], [], true],
    [['climate', 'civic-space'], ['civic-space'], true],
    [['climate'], ['civic-space'], false],
  ])('supporter %j, alert %j: %s', (supporterTopics, alertTopics, expected) => {
    expect(topicsMatch(supporterTopics, alertTopics)).toBe(expected);
  });
});

describe('recipientFor', () => {
  it('carries every channel the relay uses and the supporter is active on, without the stored endpoint hash', () => {
    expect(recipientFor(member(), both)).toEqual({
      supporterId: '65a000000000000000000001',
      language: 'sw',
      contacts: { email: 'ada@example.org', push: { endpoint: push.endpoint, keys: push.keys } },
    });
  });

  it('leaves out a channel the relay does not use', () => {
    expect(recipientFor(member(), { channels: ['push'], alertTopics: [] })?.contacts).not.toHaveProperty('email');
    expect(recipientFor(member(), { channels: ['email'], alertTopics: [] })?.contacts).not.toHaveProperty('push');
  });

  it.each([
    ['pending', 'gone'],
    ['unsubscribed', 'gone'],
    ['suppressed', 'unsubscribed'],
  ] as const)('leaves out email %s and push %s', (emailState, pushState) => {
    expect(recipientFor(member({}, { email: emailState, push: pushState }), both)).toBeUndefined();
  });

  it('keeps the channel still active when the other one is not', () => {
    expect(recipientFor(member({}, { email: 'unsubscribed' }), both)?.contacts).toEqual({ push: expect.any(Object) });
  });

  it('is undefined for a supporter active only on a channel the relay does not use', () => {
    expect(recipientFor(member({}, { push: 'unsubscribed' }), { channels: ['push'], alertTopics: [] })).toBeUndefined();
  });

  it('is undefined when the alert has topics and none is the supporter’s', () => {
    expect(recipientFor(member({ topics: ['climate'] }), { ...both, alertTopics: ['civic-space'] })).toBeUndefined();
    expect(recipientFor(member({ topics: ['climate', 'civic-space'] }), { ...both, alertTopics: ['civic-space'] })).toBeDefined();
  });
});
