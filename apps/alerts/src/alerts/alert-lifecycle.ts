import type { AlertStatus, CreateAlertInput, UpdateAlertInput } from '@clarion/contracts';
import { Conflict, Forbidden, Invalid } from '@clarion/errors';
import type { PendingEvent } from './pending-event';
import { renderMarkdown } from '../rendering/markdown';
import type { Alert, AlertContent, AlertRecord, ArchivedVersion, StoredText } from './alert.schema';
import { approvalRequestedEvent, cancelledEvent, publishedEvent, updatedEvent } from './alert-views';

/**
 * The alert lifecycle as pure functions: each takes the alert as read and
 * returns what to change, or throws the domain error that refuses the step.
 *
 *   edit     draft, approved, scheduled     → draft (approval and schedule dropped)
 *            published                      → published, version + 1 (a correction)
 *   ask      draft                          → awaiting_approval (the other coordinators are emailed)
 *   approve  draft, awaiting_approval       → approved (by a token other than the author's)
 *   publish  approved, scheduled, or draft  → scheduled (`at` ahead) or published
 *            if no second approval is needed
 *   (time)   scheduled                      → published, or expired if it expired meanwhile
 *   (time)   published                      → expired
 *   cancel   any state that has not ended   → cancelled
 *
 * `awaiting_approval` is a draft whose author asked for approval; it is
 * treated like a draft everywhere else (an edit returns it to draft).
 */

/** What one lifecycle step changes. The repository stores it in one conditional write, events included. */
export interface AlertChange {
  set: Partial<Alert>;
  unset?: ClearableField[];
  /** The published version a correction replaces. */
  archive?: ArchivedVersion;
  /** Facts to put on JetStream once the change is stored. */
  events?: PendingEvent[];
}

type ClearableField = 'approvedBy' | 'scheduledFor' | 'expiresAt';

/** Not yet approved: publishing from here depends on the coalition's second-approval rule. */
export const isUnapproved = (status: AlertStatus) => status === 'draft' || status === 'awaiting_approval';
const ended = (status: AlertStatus) => status === 'cancelled' || status === 'expired';

export function newAlert(coalitionId: string, input: CreateAlertInput, createdBy: string): Alert {
  return {
    coalitionId,
    status: 'draft',
    version: 1,
    revision: 1,
    createdBy,
    ...withoutEmptyExpiry({
      primaryLanguage: input.primaryLanguage,
      texts: renderTexts(input.texts),
      ctaUrl: input.ctaUrl,
      urgency: input.urgency,
      topics: input.topics,
      regions: input.regions,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : undefined,
    }),
    versions: [],
    pendingEvents: [],
  };
}

/**
 * An edit. Before publication it returns the alert to draft, so an approval
 * never covers text the approver has not seen; a published alert gets a
 * correction instead: a new version, announced with the full snapshot.
 */
export function planEdit(alert: AlertRecord, input: UpdateAlertInput, now: Date): AlertChange {
  if (ended(alert.status)) throw new Conflict(`a ${alert.status} alert cannot be changed`);
  const content = editedContent(alert, input);
  if (!(content.primaryLanguage in content.texts)) throw new Invalid('texts must include the primary language', 'texts');
  const { set, unset } = contentChange(content);
  if (alert.status !== 'published') {
    return { set: { ...set, status: 'draft' }, unset: [...unset, 'approvedBy', 'scheduledFor'] };
  }
  if (content.expiresAt && content.expiresAt <= now) throw new Invalid('expiresAt must be in the future', 'expiresAt');
  const version = alert.version + 1;
  const corrected: AlertRecord = { ...alert, ...content, version };
  return {
    set: { ...set, version, reviewedContent: { ...content, kind: 'published', version, at: now } },
    unset,
    archive: { ...contentOf(alert), version: alert.version, replacedAt: now },
    events: [updatedEvent(corrected, publishedAt(alert), now)],
  };
}

/** The author (or any coordinator) asks the others to approve a draft. */
export function planApprovalRequest(alert: AlertRecord, requestedBy: { tokenId: string; name: string }, now: Date): AlertChange {
  if (alert.status === 'awaiting_approval') throw new Conflict('approval was asked for already');
  if (alert.status !== 'draft') throw new Conflict(`a ${alert.status} alert needs no approval`);
  return { set: { status: 'awaiting_approval' }, events: [approvalRequestedEvent(alert, requestedBy, now)] };
}

/** A second coordinator's approval; the author's own token cannot give it. */
export function planApproval(alert: AlertRecord, approverTokenId: string, now = new Date()): AlertChange {
  if (alert.status === 'approved') throw new Conflict('the alert is already approved');
  if (!isUnapproved(alert.status)) throw new Conflict(`a ${alert.status} alert cannot be approved`);
  if (approverTokenId === alert.createdBy) throw new Forbidden('the author cannot approve their own alert');
  return { set: { status: 'approved', approvedBy: approverTokenId, reviewedContent: { ...contentOf(alert), kind: 'approved', version: alert.version, at: now } } };
}

/**
 * Publication now, or at `at`. A scheduled alert may be published again to
 * move its time or send it at once; a published one may not (that would be a
 * second announcement of the same version).
 */
export function planPublication(
  alert: AlertRecord,
  request: { at?: Date; now: Date; secondApprovalRequired: boolean },
): AlertChange {
  const { at, now } = request;
  if (alert.status === 'published') throw new Conflict('the alert is already published');
  if (ended(alert.status)) throw new Conflict(`a ${alert.status} alert cannot be published`);
  if (isUnapproved(alert.status) && request.secondApprovalRequired) {
    throw new Conflict('the alert needs approval by a second coordinator');
  }
  const goesOutAt = at && at > now ? at : now;
  if (alert.expiresAt && alert.expiresAt <= goesOutAt) throw new Invalid('expiresAt must be after the publication time', 'expiresAt');
  if (goesOutAt > now) return { set: { status: 'scheduled', scheduledFor: goesOutAt } };
  return goLive(alert, now);
}

/** A scheduled alert whose time has come; one that expired while it waited (say, the service was down) is not sent. */
export function planDuePublication(alert: AlertRecord, now: Date): AlertChange {
  if (alert.expiresAt && alert.expiresAt <= now) return { set: { status: 'expired' }, unset: ['scheduledFor'] };
  return goLive(alert, now);
}

/** Cancelling; only an alert that went out is announced, as only then have others acted on it. */
export function planCancellation(alert: AlertRecord, reason: string | undefined, now: Date, notifySupporters = true): AlertChange {
  if (ended(alert.status)) throw new Conflict(`the alert is already ${alert.status}`);
  return {
    set: { status: 'cancelled', cancelledAt: now, ...(reason && { cancelReason: reason }) },
    unset: ['scheduledFor'],
    events: alert.status === 'published' ? [cancelledEvent(alert, now, reason, notifySupporters)] : [],
  };
}

function goLive(alert: AlertRecord, now: Date): AlertChange {
  return {
    set: { status: 'published', publishedAt: now, reviewedContent: { ...contentOf(alert), kind: 'published', version: alert.version, at: now } },
    unset: ['scheduledFor'],
    events: [publishedEvent(alert, now)],
  };
}

function renderTexts(texts: CreateAlertInput['texts']): Record<string, StoredText> {
  return Object.fromEntries(
    Object.entries(texts).map(([language, text]) => [language, { ...text, bodyHtml: renderMarkdown(text.body) }]),
  );
}

function editedContent(alert: AlertRecord, input: UpdateAlertInput): AlertContent {
  return {
    primaryLanguage: input.primaryLanguage ?? alert.primaryLanguage,
    texts: input.texts ? renderTexts(input.texts) : alert.texts,
    ctaUrl: input.ctaUrl ?? alert.ctaUrl,
    urgency: input.urgency ?? alert.urgency,
    topics: input.topics ?? alert.topics,
    regions: input.regions ?? alert.regions,
    // null clears the expiry; absent keeps it.
    expiresAt: input.expiresAt === undefined ? alert.expiresAt : input.expiresAt === null ? undefined : new Date(input.expiresAt),
  };
}

function contentOf(alert: AlertRecord): AlertContent {
  const { primaryLanguage, texts, ctaUrl, urgency, topics, regions, expiresAt } = alert;
  return withoutEmptyExpiry({ primaryLanguage, texts, ctaUrl, urgency, topics, regions, expiresAt });
}

/** Content as a write: a missing expiry is removed from the document rather than stored as null. */
function contentChange(content: AlertContent): { set: Partial<Alert>; unset: ClearableField[] } {
  return { set: withoutEmptyExpiry(content), unset: content.expiresAt ? [] : ['expiresAt'] };
}

function withoutEmptyExpiry(content: AlertContent): AlertContent {
  const { expiresAt, ...rest } = content;
  return expiresAt ? { ...rest, expiresAt } : rest;
}

function publishedAt(alert: AlertRecord): Date {
  if (!alert.publishedAt) throw new Error(`published alert ${alert._id.toHexString()} has no publishedAt`);
  return alert.publishedAt;
}
