import { Types } from 'mongoose';
import { alertChanges } from './alert-changes';
import type { AlertContent, AlertRecord } from './alert.schema';

const content: AlertContent = {
  primaryLanguage: 'en',
  texts: { en: { title: 'Free them', body: 'Call **now**.', bodyHtml: '<p>Call <strong>now</strong>.</p>', ctaLabel: 'Call' } },
  ctaUrl: 'https://example.org/a',
  urgency: 'high',
  topics: ['civic-space'],
  regions: ['KE'],
};
const at = new Date('2026-12-01T10:00:00Z');

const alert = (overrides: Partial<AlertRecord>): AlertRecord =>
  ({ _id: new Types.ObjectId(), coalitionId: 'c', status: 'draft', version: 1, revision: 1, createdBy: 't', versions: [], pendingEvents: [], createdAt: at, updatedAt: at, ...content, ...overrides }) as AlertRecord;

describe('alertChanges', () => {
  it('has no baseline for an alert never approved nor published', () => {
    expect(alertChanges(alert({}))).toMatchObject({ status: 'draft', changes: [] });
    expect(alertChanges(alert({})).since).toBeUndefined();
  });

  it('compares a draft with the content last approved: changed, added and removed fields; order of a set does not count', () => {
    const changes = alertChanges(
      alert({
        reviewedContent: { ...content, topics: ['civic-space', 'climate'], kind: 'approved', version: 1, at },
        topics: ['climate', 'civic-space'],
        texts: { ...content.texts, fr: { title: 'Libérez-les', body: 'Appelez.', bodyHtml: '<p>Appelez.</p>', ctaLabel: 'Appeler' } },
        urgency: 'critical',
        expiresAt: new Date('2026-12-02T00:00:00Z'),
      }),
    );
    expect(changes.since).toEqual({ kind: 'approved', version: 1, at: at.toISOString() });
    expect(changes.changes).toEqual([
      { field: 'texts.fr.title', after: 'Libérez-les' },
      { field: 'texts.fr.body', after: 'Appelez.' },
      { field: 'texts.fr.ctaLabel', after: 'Appeler' },
      { field: 'urgency', before: 'high', after: 'critical' },
      { field: 'expiresAt', after: '2026-12-02T00:00:00.000Z' },
    ]);
  });

  it('compares a corrected alert with the version it replaced', () => {
    const changes = alertChanges(
      alert({ status: 'published', version: 2, ctaUrl: 'https://example.org/b', versions: [{ ...content, version: 1, replacedAt: at }], reviewedContent: { ...content, ctaUrl: 'https://example.org/b', kind: 'published', version: 2, at } }),
    );
    expect(changes).toMatchObject({ since: { kind: 'published', version: 1 }, changes: [{ field: 'ctaUrl', before: 'https://example.org/a', after: 'https://example.org/b' }] });
  });
});
