import { z } from 'zod';
import { eventSubjects } from './subjects';

const objectId = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hex id');
const isoDate = z.iso.datetime({ offset: true });

/** Carried by every event so consumers can deduplicate and trace it. */
const envelope = {
  eventId: z.string().min(8).max(128),
  occurredAt: isoDate,
};

export const alertPublishedV1 = z.object({
  ...envelope,
  alertId: objectId,
  coalitionId: objectId,
  version: z.number().int().positive(),
});

export const alertUpdatedV1 = alertPublishedV1;

export const alertCancelledV1 = z.object({
  ...envelope,
  alertId: objectId,
  coalitionId: objectId,
  reason: z.string().max(500).optional(),
});

/**
 * The map from subject to payload schema: publishing the wrong payload on a
 * subject does not compile, and consumers validate against the same entry.
 */
export const eventContracts = {
  [eventSubjects.alertPublished]: alertPublishedV1,
  [eventSubjects.alertUpdated]: alertUpdatedV1,
  [eventSubjects.alertCancelled]: alertCancelledV1,
} as const;

export type EventSubject = keyof typeof eventContracts;
export type EventPayload<S extends EventSubject> = z.infer<(typeof eventContracts)[S]>;

export function isEventSubject(subject: string): subject is EventSubject {
  return Object.prototype.hasOwnProperty.call(eventContracts, subject);
}
