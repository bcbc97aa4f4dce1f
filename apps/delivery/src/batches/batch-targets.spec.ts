import type { DeliveryBatch } from '@clarion/contracts';
import { batchTargets } from './batch-targets';

const push = { endpoint: 'https://push.example.org/x', keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) } };

function batch(channels: DeliveryBatch['relay']['channels'], recipients: DeliveryBatch['recipients']): DeliveryBatch {
  return { relay: { channels }, recipients } as DeliveryBatch;
}

describe('batchTargets', () => {
  it('targets only channels the relay uses and the recipient has, once per supporter', () => {
    const recipients = [
      { supporterId: '1', language: 'en', contacts: { email: 'a@example.org', push } },
      { supporterId: '2', language: 'en', contacts: { email: 'b@example.org' } },
      { supporterId: '3', language: 'en', contacts: { push } },
      { supporterId: '1', language: 'en', contacts: { email: 'a@example.org', push } },
    ];
    expect(batchTargets(batch(['email', 'push'], recipients))).toEqual([
      { supporterId: '1', channel: 'email' },
      { supporterId: '1', channel: 'push' },
      { supporterId: '2', channel: 'email' },
      { supporterId: '3', channel: 'push' },
    ]);
    expect(batchTargets(batch(['push'], recipients))).toEqual([
      { supporterId: '1', channel: 'push' },
      { supporterId: '3', channel: 'push' },
    ]);
  });
});
