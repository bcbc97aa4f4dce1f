import { Logger } from '@nestjs/common';
import type { DeliveryBatch } from '@clarion/contracts';
import type { SendOutcome } from '../channels/channel';
import type { LedgerUpdate } from '../deliveries/delivery-outcome';
import type { DeliveryRepository, OpenDelivery } from '../deliveries/delivery.repository';
import type { ChannelSenders } from '../channels/channel-senders';
import type { ProgressIncrements } from '../progress/progress.repository';
import type { ProgressService } from '../progress/progress.service';
import type { RelayStateRepository } from '../relays/relay-state.repository';
import type { SenderIdentityCache } from '../sender-identity/sender-identity.cache';
import type { SenderIdentity } from '../sender-identity/sender-identity';
import type { BatchSender } from './batch-sender';
import { BatchService } from './batch.service';

const ada = { supporterId: 'a'.repeat(24), language: 'en', contacts: { email: 'ada@example.org' } };
const bo = { supporterId: 'b'.repeat(24), language: 'en', contacts: { email: 'bo@example.org' } };
const batch = {
  eventId: 'relay:test:from:a',
  occurredAt: new Date().toISOString(),
  relay: { relayId: 'r'.repeat(24), alertId: 'l'.repeat(24), orgId: 'o'.repeat(24), channels: ['email'] },
  recipients: [ada, bo],
} as unknown as DeliveryBatch;
const open: OpenDelivery[] = [ada, bo].map(({ supporterId }, i) => ({ deliveryId: `${i}`.repeat(24), supporterId, channel: 'email', unrecorded: true }));

/** The collaborators, in memory: what the ledger and counters were told, and scripted send outcomes. */
function harness(outcomes: SendOutcome[], options: { identity?: 'unavailable'; settleFailures?: number; whileClaiming?: () => void } = {}) {
  let sends = 0;
  const settled: LedgerUpdate[] = [];
  let settleFailures = options.settleFailures ?? 0;
  const recorded: ProgressIncrements[] = [];
  const ledger: Partial<DeliveryRepository> = {
    claim: async () => {
      options.whileClaiming?.();
      return { reopened: {}, open, passId: 'p'.repeat(24) };
    },
    settle: async (_relay, outcomes) => {
      if (settleFailures-- > 0) throw new Error('Server selection timed out after 5000 ms');
      settled.push(...outcomes.map(({ update }) => update));
    },
  };
  const relayStates: Partial<RelayStateRepository> = { isCancelled: async () => false };
  const identities: Partial<SenderIdentityCache> = {
    get: async () => {
      if (options.identity === 'unavailable') throw new Error('subscriptions did not answer within 2000 ms');
      return {} as SenderIdentity;
    },
  };
  const sender: Partial<BatchSender> = { send: async () => (sends++, { attempts: open.map((delivery, i) => ({ delivery, outcome: outcomes[i] })), cancelled: [] }) };
  const report = async () => undefined;
  const senders = { email: { report }, push: { report } } as unknown as ChannelSenders;
  const progress: Partial<ProgressService> = { record: async (_relay, increments) => void recorded.push(increments) };
  const service = new BatchService(
    ledger as DeliveryRepository,
    relayStates as RelayStateRepository,
    identities as SenderIdentityCache,
    sender as BatchSender,
    senders,
    progress as ProgressService,
  );
  return { service, settled, recorded, sends: () => sends };
}

describe('BatchService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('asks for the batch again when a send is worth retrying, after the longest wait a provider asked for, at most five minutes', async () => {
    const { service, settled } = harness([
      { kind: 'retry', reason: 'rate limited', retryAfterMs: 30_000 },
      { kind: 'retry', reason: 'rate limited', retryAfterMs: 3_600_000 },
    ]);
    expect(await service.deliver(batch, false)).toEqual({ kind: 'retry', reason: '2 of 2 deliveries to retry, e.g. rate limited', delayMs: 300_000 });
    expect(settled.map((update) => update.state)).toEqual(['retry', 'retry']);
  });

  it('leaves nothing open on the last attempt, and counts what failed', async () => {
    const { service, settled, recorded } = harness([{ kind: 'sent' }, { kind: 'retry', reason: '451 try later' }]);
    expect(await service.deliver(batch, true)).toMatchObject({ kind: 'retry' });
    expect(settled.map((update) => update.state)).toEqual(['sent', 'failed']);
    expect(recorded).toEqual([{ email: { targeted: 2, sent: 1, failed: 1 } }]);
  });

  it('sends nothing without the organisation’s identity, and fails the open records only on the last attempt', async () => {
    const early = harness([], { identity: 'unavailable' });
    expect(await early.service.deliver(batch, false)).toMatchObject({ kind: 'retry', reason: expect.stringContaining('no sender identity') });
    expect(early.settled).toEqual([]);

    const last = harness([], { identity: 'unavailable' });
    await last.service.deliver(batch, true);
    expect(last.settled).toEqual(open.map(({ deliveryId }) => expect.objectContaining({ deliveryId, state: 'failed', attempted: false })));
  });

  it('keeps trying to write the outcomes of what it sent while the database is away, so the batch does not come back and send it again', async () => {
    jest.useFakeTimers();
    try {
      const { service, settled } = harness([{ kind: 'sent' }, { kind: 'sent' }], { settleFailures: 3 });
      const delivered = service.deliver(batch, false);
      await jest.advanceTimersByTimeAsync(3_000);
      expect(await delivered).toEqual({ kind: 'handled' });
      expect(settled.map((update) => update.state)).toEqual(['sent', 'sent']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends and writes nothing once its consumer abandoned the pass (past BATCH_PASS_DEADLINE_MS), and says where it was', async () => {
    const abandon = new AbortController();
    const steps: string[] = [];
    const { service, settled, recorded, sends } = harness([{ kind: 'sent' }, { kind: 'sent' }], { whileClaiming: () => abandon.abort() });
    await expect(service.deliver(batch, false, { signal: abandon.signal, step: (doing) => steps.push(doing) })).rejects.toThrow('abandoned');
    expect({ sends: sends(), settled, recorded }).toEqual({ sends: 0, settled: [], recorded: [] });
    expect(steps.at(-1)).toBe('claiming the batch in the ledger');
  });

  it('gives up after a minute, leaving the batch to come back', async () => {
    jest.useFakeTimers();
    try {
      const { service, settled } = harness([{ kind: 'sent' }, { kind: 'sent' }], { settleFailures: 1_000 });
      const delivered = expect(service.deliver(batch, false)).rejects.toThrow('Server selection timed out');
      await jest.advanceTimersByTimeAsync(61_000);
      await delivered;
      expect(settled).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });
});
