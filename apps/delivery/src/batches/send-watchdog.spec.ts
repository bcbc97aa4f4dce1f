import type { SendOutcome } from '../channels/channel';
import { SendWatchdog } from './send-watchdog';

describe('SendWatchdog', () => {
  it('ends a send that never answers as a retry once it has waited the limit, and leaves answered and younger sends alone', async () => {
    const gaveUp: string[] = [];
    const watchdog = new SendWatchdog(150_000, (channel, waitedMs) => gaveUp.push(`${channel} ${waitedMs}`));
    const never = new Promise<SendOutcome>(() => undefined);
    const stuck = watchdog.watch('push', never, 0);
    const answered = watchdog.watch('email', Promise.resolve({ kind: 'sent' }), 0);
    const younger = watchdog.watch('email', never, 100_000);
    await expect(answered).resolves.toEqual({ kind: 'sent' });

    watchdog.giveUpOverdue(149_999);
    expect(gaveUp).toEqual([]);
    watchdog.giveUpOverdue(150_000);
    await expect(stuck).resolves.toEqual({ kind: 'retry', reason: 'no answer on push within 150 s' });
    expect(gaveUp).toEqual(['push 150000']);

    let youngerSettled = false;
    void younger.then(() => (youngerSettled = true));
    await Promise.resolve();
    expect(youngerSettled).toBe(false);
    watchdog.stop();
  });
});
