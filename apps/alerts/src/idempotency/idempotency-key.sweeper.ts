import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { IdempotencyKeyRepository } from './idempotency-key.repository';

const SWEEP_INTERVAL_MS = 60 * 60_000;

/**
 * Removes idempotency keys past their day, at start and then hourly: the job
 * a TTL index would do, which FerretDB 1.24 does not implement. Correctness
 * does not depend on it (an expired key is ignored on read); it only keeps
 * the collection small.
 */
@Injectable()
export class IdempotencyKeySweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyKeySweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly keys: IdempotencyKeyRepository) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), SWEEP_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.keys
      .deleteExpired(new Date())
      .then((removed) => {
        if (removed > 0) this.logger.log({ removed }, 'expired idempotency keys removed');
      })
      .catch((error: unknown) => this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'idempotency key sweep failed'))
      .finally(() => (this.running = undefined));
  }
}
