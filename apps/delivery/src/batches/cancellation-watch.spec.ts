import { CancellationWatch } from './cancellation-watch';

describe('CancellationWatch', () => {
  it('asks at most once per interval, one check shared by everyone waiting', async () => {
    let cancelled = false;
    let asked = 0;
    const watch = new CancellationWatch(
      async () => {
        asked += 1;
        return cancelled;
      },
      () => undefined,
      1_000,
      0,
    );

    expect(await watch.seen(999)).toBe(false);
    expect(asked).toBe(0);
    cancelled = true;
    expect(await Promise.all([watch.seen(1_000), watch.seen(1_000)])).toEqual([true, true]);
    expect(asked).toBe(1);
    expect(await watch.seen(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(asked).toBe(1);
  });

  it('goes on sending when a check fails', async () => {
    const failures: unknown[] = [];
    const watch = new CancellationWatch(() => Promise.reject(new Error('db down')), (error) => failures.push(error), 0, 0);
    expect(await watch.seen(1)).toBe(false);
    expect(failures).toHaveLength(1);
  });
});
