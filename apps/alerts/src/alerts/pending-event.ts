import type { EventPayload, eventSubjects } from '@clarion/contracts';

type AlertEventSubject = (typeof eventSubjects)['alertPublished' | 'alertUpdated' | 'alertCancelled' | 'alertApprovalRequested'];

/** An event waiting in an alert's outbox; its payload's eventId doubles as the JetStream message id. */
export type PendingEvent = { [S in AlertEventSubject]: { subject: S; payload: EventPayload<S> } }[AlertEventSubject];
