import { eventContracts, eventSubjectOf } from './events';
import { streamFor, subjectMatches } from './streams';
import { consumerFilterFor, eventSubjects, subjectForEvent } from './subjects';

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
      expect(streamFor(subjectForEvent(subject, 'event-1'))).toBeDefined();
    }
  });

  it('puts each delivery batch on a subject of its own, in the stream that keeps one message per subject', () => {
    const subject = subjectForEvent(eventSubjects.deliveryBatch, 'relay:r1:from:s1');
    expect(subject).toBe('delivery.batch.v2.relay:r1:from:s1');
    expect(streamFor(subject)).toMatchObject({ name: 'DELIVERY_BATCHES', onePerSubject: true });
    expect(subjectMatches(consumerFilterFor(eventSubjects.deliveryBatch), subject)).toBe(true);
    expect(eventSubjectOf(subject)).toBe(eventSubjects.deliveryBatch);
  });

  it('keeps every other event on its own subject', () => {
    expect(subjectForEvent(eventSubjects.alertPublished, 'alert:a:v1:published')).toBe(eventSubjects.alertPublished);
    expect(consumerFilterFor(eventSubjects.alertPublished)).toBe(eventSubjects.alertPublished);
    expect(eventSubjectOf(eventSubjects.alertPublished)).toBe(eventSubjects.alertPublished);
    expect(eventSubjectOf('delivery.batch.v1.x')).toBeUndefined();
  });
});
