import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SUBSCRIPTIONS_CLOCK, type Clock } from '../common/clock';
import { deadlineDecision } from './relay-policy';
import { RelayOutbox } from './relay-outbox';
import { RelayRepository } from './relay.repository';
import { ReviewNotices } from './review-notices';

const SWEEP_INTERVAL_MS = 1_000;
const SWEEP_BATCH = 100;

/**
 * Once a second: decides the review relays whose deadline passed (per their
 * onDeadline), republishes events a failed publish left owed, and sends the
 * review notices and reminders that are due (ReviewNotices). All state
 * is in the database, so a restart loses nothing, and each decision is a
 * conditional write, so replicas sweeping together never decide a relay twice.
 */
@Injectable()
export class RelayDeadlineScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelayDeadlineScheduler.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly relays: RelayRepository,
    private readonly outbox: RelayOutbox,
    private readonly reviewNotices: ReviewNotices,
    @Inject(SUBSCRIPTIONS_CLOCK) private readonly now: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), SWEEP_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  private tick(): void {
    if (this.sweeping) return; // a slow sweep is still running; never overlap
    this.sweeping = this.sweep(this.now())
      .catch((error: Error) => this.logger.error({ err: error.message }, 'relay sweep failed; retrying next tick'))
      .finally(() => (this.sweeping = undefined));
  }

  private async sweep(now: Date): Promise<void> {
    for (const relay of await this.relays.findOverdue(now, SWEEP_BATCH)) {
      const decided = await this.relays.decidePending(relay.orgId, relay._id, deadlineDecision(relay));
      if (!decided) continue; // an editor or another replica decided it first
      this.logger.log({ relayId: decided._id.toHexString(), status: decided.status }, 'relay decided at its deadline');
      await this.outbox.publish(decided);
    }
    await this.outbox.republishOwed(now);
    await this.reviewNotices.sweep();
  }
}
