import type { RelayProgress } from '@clarion/contracts';
import { decisionsOf, keepLatest, sameDecisions, totalProgress } from './progress-totals';

const alertId = 'a'.repeat(24);
const counts = (targeted: number, sent: number, failed = 0, suppressed = 0) => ({ targeted, sent, failed, suppressed });

function snapshot(relay: string, org: string, at: string, email: ReturnType<typeof counts>, push: ReturnType<typeof counts>, clicked = 0): RelayProgress {
  return { relayId: relay.repeat(24), alertId, orgId: org.repeat(24), coalitionId: 'c'.repeat(24), channels: { email, push, sms: counts(0, 0) }, clicked, updatedAt: at };
}

const decided = { pending: 1, approved: 2, declined: 1, cancelled: 0 };

describe('progress totals', () => {
  it('adds every relay’s counters per channel, and the clicks', () => {
    const totals = totalProgress(
      alertId,
      [
        snapshot('1', 'd', '2026-11-23T10:00:00.000Z', counts(100, 90, 5, 5), counts(40, 38, 0, 2), 7),
        snapshot('2', 'e', '2026-11-23T10:00:05.000Z', counts(10, 10), counts(0, 0), 1),
      ],
      decided,
    );
    expect(totals).toEqual({
      alertId,
      channels: { email: counts(110, 100, 5, 5), push: counts(40, 38, 0, 2), sms: counts(0, 0) },
      clicked: 8,
      relays: decided,
      relaysSending: 2,
      updatedAt: '2026-11-23T10:00:05.000Z',
    });
  });

  it('keeps the snapshot the database applied last, even when a concurrent batch stamped an older one with a later time', () => {
    const latest = new Map<string, RelayProgress>();
    // Two batches of one relay finish together: the database applies the 10:00:02 update first, then the 10:00:01 one.
    const appliedSecond = { ...snapshot('1', 'd', '2026-11-23T10:00:01.000Z', counts(1000, 1000), counts(0, 0)), version: 2 };
    const appliedFirst = { ...snapshot('1', 'd', '2026-11-23T10:00:02.000Z', counts(500, 500), counts(0, 0)), version: 1 };
    expect(keepLatest(latest, appliedSecond)).toBe(true);
    expect(keepLatest(latest, appliedFirst)).toBe(false);
    expect(totalProgress(alertId, latest.values(), decided).channels.email).toEqual(counts(1000, 1000));
  });

  it('is all zeros, without a time, before anything is sent', () => {
    expect(totalProgress(alertId, [], decided)).toEqual({
      alertId,
      channels: { email: counts(0, 0), push: counts(0, 0), sms: counts(0, 0) },
      clicked: 0,
      relays: decided,
      relaysSending: 0,
    });
  });

  it('names no organisation, relay or supporter', () => {
    const totals = JSON.stringify(totalProgress(alertId, [snapshot('1', 'd', '2026-11-23T10:00:00.000Z', counts(1, 1), counts(0, 0))], decided));
    expect(totals).not.toContain('d'.repeat(24));
    expect(totals).not.toContain('1'.repeat(24));
    expect(totals).not.toContain('c'.repeat(24));
  });

  it('keeps the newest snapshot of each relay, whatever order they arrive in', () => {
    const latest = new Map<string, RelayProgress>();
    const older = snapshot('1', 'd', '2026-11-23T10:00:00.000Z', counts(10, 1), counts(0, 0));
    const newer = snapshot('1', 'd', '2026-11-23T10:00:01.000Z', counts(10, 9), counts(0, 0));
    expect(keepLatest(latest, newer)).toBe(true);
    expect(keepLatest(latest, older)).toBe(false);
    expect(keepLatest(latest, newer)).toBe(false);
    expect(keepLatest(latest, snapshot('2', 'd', '2026-11-23T09:00:00.000Z', counts(1, 1), counts(0, 0)))).toBe(true);
    expect(totalProgress(alertId, latest.values(), decided).channels.email).toEqual(counts(11, 10));
  });

  it('counts an organisation’s relays by decision, and compares decisions', () => {
    const mine = decisionsOf(['approved', 'cancelled', 'approved']);
    expect(mine).toEqual({ pending: 0, approved: 2, declined: 0, cancelled: 1 });
    expect(sameDecisions(mine, { ...mine })).toBe(true);
    expect(sameDecisions(mine, { ...mine, pending: 1 })).toBe(false);
  });
});
