/**
 * Every NATS subject Clarion uses, versioned. Renaming one is a migration:
 * old consumers keep listening on the old name until they are redeployed, so
 * add the new version next to the old and retire the old one in a later release.
 */
import type { ServiceName } from '@clarion/config';

/** Request/reply subjects answered by every service. */
export const systemRpc = {
  /** Readiness of one service: its NATS connection and its database. */
  health: (service: Exclude<ServiceName, 'gateway'>) => `${service}.system.health.v1`,
  /** A cheap round trip that proves the service's NATS handlers answer. */
  ping: (service: Exclude<ServiceName, 'gateway'>) => `${service}.system.ping.v1`,
} as const;

/** Durable facts on JetStream (see streams.ts for which stream stores each). */
export const eventSubjects = {
  alertPublished: 'alerts.alert.published.v1',
  alertUpdated: 'alerts.alert.updated.v1',
  alertCancelled: 'alerts.alert.cancelled.v1',
} as const;

/** Where messages go that failed validation or exhausted their delivery attempts. */
export const deadLetterSubject = (originalSubject: string) => `deadletter.${originalSubject}`;
