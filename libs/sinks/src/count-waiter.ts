interface Waiter {
  target: number;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Lets tests await "at least n received" instead of polling. Pending waits are
 * rejected on stop so a test never hangs on a server that is gone.
 */
export class CountWaiter {
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly what: string,
    private readonly current: () => number,
  ) {}

  wait(target: number, timeoutMs: number): Promise<void> {
    if (this.current() >= target) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        target,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${target} ${this.what}; received ${this.current()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Call after every change of the count. */
  notify(): void {
    const count = this.current();
    for (const waiter of this.waiters) {
      if (count < waiter.target) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }

  cancelAll(reason: string): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`stopped waiting for ${waiter.target} ${this.what}: ${reason}; received ${this.current()}`));
    }
    this.waiters.clear();
  }
}
