/**
 * Whether a relay was cancelled, asked of the database at most once per
 * interval while its batch sends: senders share the last answer, and when it
 * is older than the interval they wait for one fresh check together.
 */
export class CancellationWatch {
  private cancelled = false;
  private checkedAt: number;
  private checking?: Promise<void>;

  constructor(
    private readonly isCancelled: () => Promise<boolean>,
    private readonly onCheckFailed: (error: unknown) => void,
    private readonly intervalMs = 1_000,
    now = Date.now(),
  ) {
    this.checkedAt = now;
  }

  /** A failed check keeps the last answer: sending goes on rather than stopping on a database hiccup. */
  async seen(now = Date.now()): Promise<boolean> {
    if (!this.cancelled && now - this.checkedAt >= this.intervalMs) {
      this.checking ??= this.isCancelled()
        .then((cancelled) => {
          this.cancelled = cancelled;
        }, this.onCheckFailed)
        .finally(() => {
          this.checkedAt = Date.now();
          this.checking = undefined;
        });
      await this.checking;
    }
    return this.cancelled;
  }
}
