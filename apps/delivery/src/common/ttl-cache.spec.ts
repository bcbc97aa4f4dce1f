import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('shares one load between callers until it expires', async () => {
    const cache = new TtlCache<number>(1_000, 10);
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get('k', load, 0), cache.get('k', load, 0)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get('k', load, 999)).toBe(1);
    expect(await cache.get('k', load, 1_000)).toBe(2);
  });

  it('forgets a failed load at once, and its oldest entry when full', async () => {
    const cache = new TtlCache<string>(60_000, 2);
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('k', async () => 'up')).toBe('up');
    await cache.get('x', async () => 'x');
    await cache.get('y', async () => 'y');
    expect(await cache.get('k', async () => 'reloaded')).toBe('reloaded');
  });
});
