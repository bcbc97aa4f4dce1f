import type { AlertSnapshot, Filters } from '@clarion/contracts';
import { alertSummary, deadlineDecision, draftRelay, matchesFilters, type AlertTargeting } from './relay-policy';

const text = (title: string) => ({ title, body: 'b', bodyHtml: '<p>b</p>', ctaLabel: 'Act' });
const filters = (f: Partial<Filters>): Filters => ({ topics: [], regions: [], languages: [], ...f });
const alert = (a: Partial<AlertTargeting>): AlertTargeting => ({ topics: ['civic-space'], regions: ['KE'], texts: { en: text('t') }, ...a });

describe('matchesFilters', () => {
  it('wants everything when every filter is empty', () => {
    expect(matchesFilters(filters({}), alert({}))).toBe(true);
  });

  it('matches when each filter shares at least one entry with the alert', () => {
    const wanted = filters({ topics: ['climate', 'civic-space'], regions: ['UG', 'KE'], languages: ['sw', 'en'] });
    expect(matchesFilters(wanted, alert({ regions: ['KE', 'TZ'] }))).toBe(true);
  });

  it.each([
    ['topics', filters({ topics: ['climate'] })],
    ['regions', filters({ regions: ['FR'] })],
    ['languages', filters({ languages: ['fr'] })],
  ])('refuses an alert that shares nothing on %s', (_dimension, wanted) => {
    expect(matchesFilters(wanted, alert({}))).toBe(false);
  });

  it('needs every dimension to match, not just one', () => {
    expect(matchesFilters(filters({ topics: ['civic-space'], regions: ['FR'] }), alert({}))).toBe(false);
  });

  it('treats an alert without topics or regions as addressed to everyone', () => {
    const wanted = filters({ topics: ['climate'], regions: ['FR'] });
    expect(matchesFilters(wanted, alert({ topics: [], regions: [] }))).toBe(true);
  });

  it('matches languages on the languages the alert has text in', () => {
    const bilingual = alert({ texts: { en: text('t'), fr: text('t') } });
    expect(matchesFilters(filters({ languages: ['fr'] }), bilingual)).toBe(true);
    expect(matchesFilters(filters({ languages: ['de'] }), bilingual)).toBe(false);
  });
});

describe('relay policy', () => {
  const snapshot: AlertSnapshot = {
    alertId: 'a'.repeat(24),
    coalitionId: 'c'.repeat(24),
    version: 2,
    primaryLanguage: 'fr',
    texts: { en: text('Free them'), fr: text('Libérez-les') },
    ctaUrl: 'https://example.org/act',
    urgency: 'critical',
    topics: [],
    regions: [],
    publishedAt: '2026-11-23T18:00:00.000Z',
  };
  const now = new Date('2026-11-23T18:00:05.000Z');

  it('shows the title in the alert primary language', () => {
    expect(alertSummary(snapshot)).toEqual({ alertVersion: 2, title: 'Libérez-les', urgency: 'critical' });
  });

  it('approves an auto relay at once and owes its approval event', () => {
    const draft = draftRelay(snapshot, { orgId: 'o'.repeat(24), channels: ['push'], relayPolicy: { mode: 'auto' } }, now);
    expect(draft).toMatchObject({ status: 'approved', decidedBy: 'auto', decidedAt: now, pendingEvent: 'approved', channels: ['push'] });
    expect(draft.deadline).toBeUndefined();
  });

  it('holds a review relay until the deadline counted from publication', () => {
    const policy = { mode: 'review' as const, deadlineMinutes: 30, onDeadline: 'drop' as const };
    const draft = draftRelay(snapshot, { orgId: 'o'.repeat(24), channels: ['email'], relayPolicy: policy }, now);
    expect(draft).toMatchObject({ status: 'pending', onDeadline: 'drop', deadline: new Date('2026-11-23T18:30:00.000Z') });
    expect(draft.pendingEvent).toBeUndefined();
  });

  it('decides an overdue relay per its onDeadline, dropping when none is recorded', () => {
    expect(deadlineDecision({ onDeadline: 'approve' })).toEqual({ status: 'approved', decidedBy: 'deadline' });
    expect(deadlineDecision({ onDeadline: 'drop' })).toEqual({ status: 'declined', decidedBy: 'deadline' });
    expect(deadlineDecision({})).toEqual({ status: 'declined', decidedBy: 'deadline' });
  });
});
