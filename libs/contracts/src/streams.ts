/**
 * JetStream streams. Each owns a subject space; `workQueue` streams delete a
 * message once one consumer acknowledged it (delivery jobs), the others keep
 * history for new consumers and replays.
 */
export interface StreamSpec {
  name: string;
  subjects: string[];
  workQueue?: boolean;
  /**
   * One message per subject, and a second publish on a subject refused while
   * the first is kept (maxAgeMs): with a subject per event (oncePerEventId), a
   * repeat is dropped however late it comes.
   */
  onePerSubject?: boolean;
  /** How long the server remembers a Nats-Msg-Id to drop a repeated publish. */
  duplicateWindowMs: number;
  maxAgeMs: number;
}

const DAY = 24 * 60 * 60 * 1000;

export const streams: StreamSpec[] = [
  { name: 'ALERTS', subjects: ['alerts.alert.>'], duplicateWindowMs: 2 * 60_000, maxAgeMs: 30 * DAY },
  { name: 'RELAYS', subjects: ['relays.>'], duplicateWindowMs: 2 * 60_000, maxAgeMs: 30 * DAY },
  { name: 'DELIVERY_JOBS', subjects: ['delivery.jobs.>'], workQueue: true, duplicateWindowMs: 2 * 60_000, maxAgeMs: 7 * DAY },
  // Batches stay after they are sent, for a week: that is how long a resumed fan-out cannot store one twice.
  { name: 'DELIVERY_BATCHES', subjects: ['delivery.batch.>'], onePerSubject: true, duplicateWindowMs: 2 * 60_000, maxAgeMs: 7 * DAY },
  { name: 'DELIVERY_FEEDBACK', subjects: ['delivery.feedback.>'], duplicateWindowMs: 2 * 60_000, maxAgeMs: 7 * DAY },
  // Joins waiting to be worked on: gone once handled (they carry an address and a push subscription), and after a day at most.
  { name: 'SUPPORTER_JOBS', subjects: ['supporters.jobs.>'], workQueue: true, duplicateWindowMs: 2 * 60_000, maxAgeMs: DAY },
  // Supporters' consent changes, ids only, for the organisation's webhooks (docs/decisions/0029).
  { name: 'SUPPORTER_FACTS', subjects: ['supporters.facts.>'], duplicateWindowMs: 2 * 60_000, maxAgeMs: 7 * DAY },
  // Webhooks waiting to be posted: gone once delivered or given up, and after a week at most (docs/decisions/0029).
  { name: 'WEBHOOKS', subjects: ['webhooks.>'], workQueue: true, duplicateWindowMs: 10 * 60_000, maxAgeMs: 7 * DAY },
  { name: 'DEAD_LETTER', subjects: ['deadletter.>'], duplicateWindowMs: 2 * 60_000, maxAgeMs: 30 * DAY },
];

export function streamFor(subject: string): StreamSpec | undefined {
  return streams.find((stream) => stream.subjects.some((pattern) => subjectMatches(pattern, subject)));
}

/** NATS wildcard match: `*` one token, `>` one or more trailing tokens. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}
