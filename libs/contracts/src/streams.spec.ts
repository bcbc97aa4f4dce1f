import { eventContracts } from './events';
import { streamFor, subjectMatches } from './streams';

describe('subjectMatches', () => {
  it.each([
    ['alerts.alert.>', 'alerts.alert.published.v1', true],
    ['alerts.alert.>', 'alerts.alert', false],
    ['delivery.*.v1', 'delivery.jobs.v1', true],
    ['delivery.*.v1', 'delivery.jobs.email.v1', false],
    ['relays.approved', 'relays.approved', true],
  ])('%s against %s is %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('streams', () => {
  it('stores every event subject in exactly one stream', () => {
    for (const subject of Object.keys(eventContracts)) {
      expect(streamFor(subject)).toBeDefined();
    }
  });
});
