import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { planDuePublication } from '../alerts/alert-lifecycle';
import { AlertOutbox } from '../alerts/alert-outbox';
import { AlertRepository } from '../alerts/alert.repository';

const POLL_INTERVAL_MS = 1_000;
/** How many due alerts one sweep publishes; the rest follow a second later. */
const DUE_BATCH = 100;

/**
 * Time-driven steps, from the database every second so nothing depends on
 * in-memory timers surviving a restart: scheduled alerts whose time has come
 * are published, published alerts past their expiry are marked expired, and
 * events left in the outbox are sent again. Any number of replicas may run
 * this; each write is conditional, so only one of them publishes an alert.
 */
@Injectable()
export class AlertScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly outbox: AlertOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), POLL_INTERVAL_MS);
  }

  /** Waits for a sweep in progress, so the database connection is not closed under it. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    // A sweep slower than the interval (a sluggish database) is not overlapped by the next one.
    if (this.running) return;
    this.running = this.sweep()
      .catch((error: unknown) => this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'scheduler sweep failed'))
      .finally(() => (this.running = undefined));
  }

  private async sweep(): Promise<void> {
    const now = new Date();
    await this.publishDue(now);
    await this.alerts.expirePublished(now);
    await this.outbox.deliverLeftovers();
  }

  private async publishDue(now: Date): Promise<void> {
    for (const alert of await this.alerts.dueForPublication(now, DUE_BATCH)) {
      const stored = await this.alerts.applyChange(alert, planDuePublication(alert, now));
      // null: another replica, or an edit, got there first.
      if (stored) await this.outbox.deliver(stored);
    }
  }
}
