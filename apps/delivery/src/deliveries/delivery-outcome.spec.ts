import { afterAttempt, progressCounter } from './delivery-outcome';

const id = 'a'.repeat(24);

describe('afterAttempt', () => {
  it('closes the record for sent, suppressed and gone', () => {
    expect(afterAttempt(id, { kind: 'sent' }, false)).toEqual({ deliveryId: id, state: 'sent', attempted: true });
    expect(afterAttempt(id, { kind: 'suppress', reason: '550', code: 550 }, false)).toMatchObject({ state: 'suppressed', lastError: '550' });
    expect(afterAttempt(id, { kind: 'gone', reason: '410', status: 410 }, false)).toMatchObject({ state: 'expired', lastError: '410' });
  });

  it('keeps a retry open, except on the last attempt, where it fails', () => {
    expect(afterAttempt(id, { kind: 'retry', reason: '450' }, false)).toMatchObject({ state: 'retry', attempted: true });
    expect(afterAttempt(id, { kind: 'retry', reason: '450' }, true)).toMatchObject({ state: 'failed', lastError: '450' });
  });
});

describe('progressCounter', () => {
  it('counts gone push subscriptions with suppressed addresses, and open or cancelled records nowhere', () => {
    const counted = (state: Parameters<typeof progressCounter>[0]['state'], attempted = true) => progressCounter({ deliveryId: id, state, attempted });
    expect(counted('sent')).toBe('sent');
    expect(counted('failed')).toBe('failed');
    expect(counted('suppressed')).toBe('suppressed');
    expect(counted('expired')).toBe('suppressed');
    expect(counted('expired', false)).toBeUndefined();
    expect(counted('retry')).toBeUndefined();
    expect(counted('cancelled', false)).toBeUndefined();
  });
});
