import { Types } from 'mongoose';
import { eventSubjects, type AlertStatus, type CreateAlertInput } from '@clarion/contracts';
import { Conflict, Forbidden, Invalid } from '@clarion/errors';
import { newAlert, planApproval, planApprovalRequest, planCancellation, planDuePublication, planEdit, planPublication } from './alert-lifecycle';
import type { AlertRecord } from './alert.schema';

const author = 'a'.repeat(24);
const colleague = 'b'.repeat(24);
const now = new Date('2026-05-01T12:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

const input: CreateAlertInput = {
  primaryLanguage: 'en',
  texts: { en: { title: 'Release them', body: 'Call **today**.', ctaLabel: 'Sign' } },
  ctaUrl: 'https://example.org/act',
  urgency: 'high',
  topics: ['civic-space'],
  regions: ['KE'],
};

function alert(status: AlertStatus, extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    ...newAlert('c'.repeat(24), input, author),
    _id: new Types.ObjectId(),
    createdAt: now,
    updatedAt: now,
    status,
    ...extra,
  };
}

const published = (extra: Partial<AlertRecord> = {}) => alert('published', { publishedAt: minutes(-30), ...extra });
const publish = (status: AlertStatus, options: { at?: Date; secondApprovalRequired?: boolean } = {}) =>
  planPublication(alert(status), { now, secondApprovalRequired: false, ...options });

describe('newAlert', () => {
  it('starts as a version 1 draft with each text rendered', () => {
    const created = newAlert('c'.repeat(24), input, author);
    expect(created).toMatchObject({ status: 'draft', version: 1, createdBy: author, pendingEvents: [], versions: [] });
    expect(created.texts.en.bodyHtml).toBe('<p>Call <strong>today</strong>.</p>');
    expect(created).not.toHaveProperty('expiresAt');
  });
});

describe('planEdit', () => {
  it.each(['draft', 'approved', 'scheduled'] as const)('returns a %s alert to draft, dropping approval and schedule', (status) => {
    const change = planEdit(alert(status, { approvedBy: colleague, scheduledFor: minutes(5) }), { urgency: 'critical' }, now);
    expect(change.set).toMatchObject({ status: 'draft', urgency: 'critical' });
    expect(change.unset).toEqual(expect.arrayContaining(['approvedBy', 'scheduledFor']));
    expect(change.events).toBeUndefined();
  });

  it('renders replaced texts', () => {
    const change = planEdit(alert('draft'), { texts: { en: { title: 'New', body: '# Head', ctaLabel: 'Go' } } }, now);
    expect(change.set.texts?.en.bodyHtml).toBe('<h2>Head</h2>');
  });

  it('refuses a primary language the texts do not include', () => {
    expect(() => planEdit(alert('draft'), { primaryLanguage: 'fr' }, now)).toThrow(
      expect.objectContaining({ field: 'texts', message: 'texts must include the primary language' }),
    );
  });

  it('clears the expiry on null', () => {
    const change = planEdit(alert('draft', { expiresAt: minutes(60) }), { expiresAt: null }, now);
    expect(change.unset).toContain('expiresAt');
    expect(change.set).not.toHaveProperty('expiresAt');
  });

  it('corrects a published alert as a new version, archiving the old one and announcing the new', () => {
    const before = published();
    const change = planEdit(before, { ctaUrl: 'https://example.org/new' }, now);
    expect(change.set).toMatchObject({ version: 2, ctaUrl: 'https://example.org/new' });
    expect(change.set).not.toHaveProperty('status');
    expect(change.archive).toMatchObject({ version: 1, ctaUrl: 'https://example.org/act', replacedAt: now });
    expect(change.events).toEqual([
      {
        subject: eventSubjects.alertUpdated,
        payload: expect.objectContaining({
          eventId: `alert:${before._id.toHexString()}:v2:updated`,
          alert: expect.objectContaining({ version: 2, ctaUrl: 'https://example.org/new', publishedAt: minutes(-30).toISOString() }),
        }),
      },
    ]);
  });

  it('refuses a correction that expires the alert in the past', () => {
    expect(() => planEdit(published(), { expiresAt: minutes(-1).toISOString() }, now)).toThrow(Invalid);
  });

  it.each(['cancelled', 'expired'] as const)('refuses to change a %s alert', (status) => {
    expect(() => planEdit(alert(status), { urgency: 'low' }, now)).toThrow(Conflict);
  });
});

describe('planApproval', () => {
  it('lets another coordinator approve a draft', () => {
    expect(planApproval(alert('draft'), colleague)).toEqual({ set: { status: 'approved', approvedBy: colleague, reviewedContent: expect.objectContaining({ kind: 'approved', version: 1 }) } });
  });

  it('refuses the author', () => {
    expect(() => planApproval(alert('draft'), author)).toThrow(new Forbidden('the author cannot approve their own alert'));
  });

  it.each(['approved', 'scheduled', 'published', 'cancelled', 'expired'] as const)('refuses a %s alert', (status) => {
    expect(() => planApproval(alert(status), colleague)).toThrow(Conflict);
  });
});

describe('planApprovalRequest', () => {
  it('moves a draft to awaiting_approval and announces who asks, once per revision', () => {
    const draft = alert('draft', { revision: 3 });
    const change = planApprovalRequest(draft, { tokenId: author, name: 'Amina' }, now);
    expect(change.set).toEqual({ status: 'awaiting_approval' });
    expect(change.events).toEqual([
      {
        subject: eventSubjects.alertApprovalRequested,
        payload: {
          eventId: `alert:${draft._id.toHexString()}:r3:approval-requested`,
          occurredAt: now.toISOString(),
          alertId: draft._id.toHexString(),
          coalitionId: 'c'.repeat(24),
          title: 'Release them',
          requestedBy: { tokenId: author, name: 'Amina' },
        },
      },
    ]);
  });

  it('refuses to ask twice, or about an alert past its draft', () => {
    for (const status of ['awaiting_approval', 'approved', 'scheduled', 'published', 'cancelled'] as const) {
      expect(() => planApprovalRequest(alert(status), { tokenId: author, name: 'Amina' }, now)).toThrow(Conflict);
    }
  });

  it('lets another coordinator approve an alert awaiting approval, and an edit returns it to draft', () => {
    expect(planApproval(alert('awaiting_approval'), colleague).set).toEqual({ status: 'approved', approvedBy: colleague, reviewedContent: expect.objectContaining({ kind: 'approved', version: 1 }) });
    expect(planEdit(alert('awaiting_approval'), { urgency: 'low' }, now).set.status).toBe('draft');
  });
});

describe('planPublication', () => {
  it('publishes a draft now when no second approval is required, with the published event', () => {
    const draft = alert('draft');
    const change = planPublication(draft, { now, secondApprovalRequired: false });
    expect(change.set).toEqual({ status: 'published', publishedAt: now, reviewedContent: expect.objectContaining({ kind: 'published', version: 1, at: now }) });
    expect(change.events).toEqual([
      {
        subject: eventSubjects.alertPublished,
        payload: {
          eventId: `alert:${draft._id.toHexString()}:v1:published`,
          occurredAt: now.toISOString(),
          alert: expect.objectContaining({ alertId: draft._id.toHexString(), version: 1, publishedAt: now.toISOString() }),
        },
      },
    ]);
  });

  it('refuses a draft when a second approval is required, and accepts it once approved', () => {
    expect(() => publish('draft', { secondApprovalRequired: true })).toThrow(new Conflict('the alert needs approval by a second coordinator'));
    expect(publish('approved', { secondApprovalRequired: true }).set.status).toBe('published');
  });

  it('schedules for a time ahead, without an event yet', () => {
    expect(publish('approved', { at: minutes(10) })).toEqual({ set: { status: 'scheduled', scheduledFor: minutes(10) } });
  });

  it('publishes now for a time already past', () => {
    expect(publish('approved', { at: minutes(-10) }).set).toEqual({ status: 'published', publishedAt: now, reviewedContent: expect.objectContaining({ kind: 'published', version: 1, at: now }) });
  });

  it('lets a scheduled alert be moved or sent at once', () => {
    expect(publish('scheduled', { at: minutes(20) }).set).toEqual({ status: 'scheduled', scheduledFor: minutes(20) });
    expect(publish('scheduled').unset).toContain('scheduledFor');
  });

  it('refuses an expiry that is not after the publication time', () => {
    const expiring = alert('approved', { expiresAt: minutes(5) });
    expect(() => planPublication(expiring, { now, at: minutes(5), secondApprovalRequired: false })).toThrow(
      expect.objectContaining({ field: 'expiresAt', message: 'expiresAt must be after the publication time' }),
    );
    expect(() => planPublication(alert('approved', { expiresAt: minutes(-1) }), { now, secondApprovalRequired: false })).toThrow(Invalid);
  });

  it.each(['published', 'cancelled', 'expired'] as const)('refuses a %s alert', (status) => {
    expect(() => publish(status)).toThrow(Conflict);
  });
});

describe('planDuePublication', () => {
  it('publishes a scheduled alert', () => {
    const change = planDuePublication(alert('scheduled', { scheduledFor: minutes(-1) }), now);
    expect(change.set).toEqual({ status: 'published', publishedAt: now, reviewedContent: expect.objectContaining({ kind: 'published', version: 1, at: now }) });
    expect(change.events?.map((e) => e.subject)).toEqual([eventSubjects.alertPublished]);
  });

  it('expires instead of sending an alert that expired while it waited', () => {
    const change = planDuePublication(alert('scheduled', { scheduledFor: minutes(-60), expiresAt: minutes(-1) }), now);
    expect(change).toEqual({ set: { status: 'expired' }, unset: ['scheduledFor'] });
  });
});

describe('planCancellation', () => {
  it('announces the cancellation of a published alert', () => {
    const live = published();
    const change = planCancellation(live, 'facts changed', now);
    expect(change.set).toEqual({ status: 'cancelled', cancelledAt: now, cancelReason: 'facts changed' });
    expect(change.events).toEqual([
      {
        subject: eventSubjects.alertCancelled,
        payload: {
          eventId: `alert:${live._id.toHexString()}:cancelled`,
          occurredAt: now.toISOString(),
          alertId: live._id.toHexString(),
          coalitionId: live.coalitionId,
          reason: 'facts changed',
        },
      },
    ]);
  });

  it.each(['draft', 'awaiting_approval', 'approved', 'scheduled'] as const)('cancels a %s alert quietly', (status) => {
    const change = planCancellation(alert(status), undefined, now);
    expect(change.set).toEqual({ status: 'cancelled', cancelledAt: now });
    expect(change.events).toEqual([]);
  });

  it.each(['cancelled', 'expired'] as const)('refuses a %s alert', (status) => {
    expect(() => planCancellation(alert(status), undefined, now)).toThrow(Conflict);
  });
});
