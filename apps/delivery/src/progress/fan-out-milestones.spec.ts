import { crossedMilestones } from './fan-out-milestones';

const counts = (targeted: number, sent: number, failed = 0, suppressed = 0) => ({ targeted, sent, failed, suppressed });

describe('fan-out milestones', () => {
  it('names the pass that sent the first message, once', () => {
    expect(crossedMilestones({ email: counts(100, 10) }, { email: { targeted: 100, sent: 10 } })).toEqual(['first']);
    expect(crossedMilestones({ email: counts(100, 20) }, { email: { sent: 10 } })).toEqual([]);
  });

  it('names the pass that settled 95 % of the targets, counting failures and suppressions, once', () => {
    expect(crossedMilestones({ email: counts(100, 90, 3, 2), push: counts(0, 0) }, { email: { sent: 10, failed: 3 } })).toEqual(['p95']);
    expect(crossedMilestones({ email: counts(100, 96) }, { email: { sent: 1 } })).toEqual([]);
  });

  it('counts both milestones when one pass settles the whole relay', () => {
    expect(crossedMilestones({ email: counts(3, 3), push: counts(1, 1) }, { email: { targeted: 3, sent: 3 }, push: { targeted: 1, sent: 1 } })).toEqual(['first', 'p95']);
  });

  it('crosses none on a pass that only adds targets', () => {
    expect(crossedMilestones({ email: counts(200, 96) }, { email: { targeted: 100 } })).toEqual([]);
  });
});
