import { eventSubjects, type AlertSnapshot, type AlertView } from '@clarion/contracts';
import type { PendingEvent } from './pending-event';
import type { AlertRecord } from './alert.schema';

/**
 * What the alert says and whom it targets, as every view of it carries it.
 * Optional keys are left out, not undefined: the outbox stores payloads, and BSON would turn undefined into null.
 */
export function alertContent(alert: AlertRecord) {
  return {
    primaryLanguage: alert.primaryLanguage,
    texts: alert.texts,
    ctaUrl: alert.ctaUrl,
    urgency: alert.urgency,
    topics: alert.topics,
    regions: alert.regions,
    ...(alert.expiresAt && { expiresAt: alert.expiresAt.toISOString() }),
  };
}

/** The alert as the gateway shows it to coordinators and admins. */
export function toAlertView(alert: AlertRecord): AlertView {
  return {
    id: alert._id.toHexString(),
    coalitionId: alert.coalitionId,
    status: alert.status,
    version: alert.version,
    ...alertContent(alert),
    scheduledFor: alert.scheduledFor?.toISOString(),
    publishedAt: alert.publishedAt?.toISOString(),
    cancelledAt: alert.cancelledAt?.toISOString(),
    createdBy: alert.createdBy,
    approvedBy: alert.approvedBy,
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}

/** The alert as relays and delivery need it, carried whole in the published and updated events. */
export function toSnapshot(alert: AlertRecord, publishedAt: Date): AlertSnapshot {
  return {
    alertId: alert._id.toHexString(),
    coalitionId: alert.coalitionId,
    version: alert.version,
    ...alertContent(alert),
    publishedAt: publishedAt.toISOString(),
  };
}

// Event ids are deterministic per fact, so a republished event (outbox retry) is dropped by JetStream, not stored twice.

export function publishedEvent(alert: AlertRecord, publishedAt: Date): PendingEvent {
  return {
    subject: eventSubjects.alertPublished,
    payload: {
      eventId: `alert:${alert._id.toHexString()}:v${alert.version}:published`,
      occurredAt: publishedAt.toISOString(),
      alert: toSnapshot(alert, publishedAt),
    },
  };
}

export function updatedEvent(alert: AlertRecord, publishedAt: Date, correctedAt: Date): PendingEvent {
  return {
    subject: eventSubjects.alertUpdated,
    payload: {
      eventId: `alert:${alert._id.toHexString()}:v${alert.version}:updated`,
      occurredAt: correctedAt.toISOString(),
      alert: toSnapshot(alert, publishedAt),
    },
  };
}

/** One per request: a second request after an edit is a new fact (the revision says which). */
export function approvalRequestedEvent(alert: AlertRecord, requestedBy: { tokenId: string; name: string }, now: Date): PendingEvent {
  return {
    subject: eventSubjects.alertApprovalRequested,
    payload: {
      eventId: `alert:${alert._id.toHexString()}:r${alert.revision}:approval-requested`,
      occurredAt: now.toISOString(),
      alertId: alert._id.toHexString(),
      coalitionId: alert.coalitionId,
      title: alert.texts[alert.primaryLanguage]?.title ?? Object.values(alert.texts)[0]?.title ?? '',
      requestedBy,
    },
  };
}

export function cancelledEvent(alert: AlertRecord, cancelledAt: Date, reason?: string, notifySupporters = true): PendingEvent {
  return {
    subject: eventSubjects.alertCancelled,
    payload: {
      eventId: `alert:${alert._id.toHexString()}:cancelled`,
      occurredAt: cancelledAt.toISOString(),
      alertId: alert._id.toHexString(),
      coalitionId: alert.coalitionId,
      ...(reason && { reason }),
      ...(notifySupporters ? {} : { notifySupporters: false }),
    },
  };
}
