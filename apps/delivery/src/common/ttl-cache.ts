/**
 * Remembers what an async load gave for a while, sharing one load between
 * concurrent callers. A failed load is forgotten at once so the next caller
 * tries again. Bounded: the oldest entry makes room for a new one.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = load();
    this.store(key, value, now);
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** Remembers a value got elsewhere. */
  set(key: string, value: V, now = Date.now()): void {
    this.store(key, Promise.resolve(value), now);
  }

  /** The value still remembered for the key, without loading. */
  peek(key: string, now = Date.now()): Promise<V> | undefined {
    const hit = this.entries.get(key);
    return hit && hit.expiresAt > now ? hit.value : undefined;
  }

  private store(key: string, value: Promise<V>, now: number): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
  }
}
