import type { RelayProgress } from './progress.schema';
import { toProgressView } from './progress.view';

describe('toProgressView', () => {
  it('counts nothing on a channel the record was made without (one registered later)', () => {
    const record = {
      relayId: 'a'.repeat(24),
      alertId: 'b'.repeat(24),
      orgId: 'c'.repeat(24),
      coalitionId: 'd'.repeat(24),
      channels: { email: { targeted: 3, sent: 2, failed: 1, suppressed: 0 } },
      clicked: 1,
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    } as unknown as RelayProgress;
    expect(toProgressView(record).channels).toEqual({
      email: { targeted: 3, sent: 2, failed: 1, suppressed: 0 },
      push: { targeted: 0, sent: 0, failed: 0, suppressed: 0 },
      sms: { targeted: 0, sent: 0, failed: 0, suppressed: 0 },
    });
  });
});
