import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { NetworkHealthService } from './network-health.service';
import { ServiceReadiness } from './service-readiness';

/** Pause between two rounds of readiness checks (a round itself takes at most the health timeout). */
const WATCH_EVERY_MS = 500;

/**
 * Asks every service for its readiness, round after round, and tells
 * ServiceReadiness: a database going away is known within about a second,
 * and so is its return.
 */
@Injectable()
export class ReadinessWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReadinessWatch.name);
  private running = false;
  private loop?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private wake?: () => void;

  constructor(
    private readonly network: NetworkHealthService,
    private readonly readiness: ServiceReadiness,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.watch();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  private async watch(): Promise<void> {
    const last = new Map<string, string>();
    while (this.running) {
      for (const [name, report] of Object.entries((await this.network.report()).services)) {
        this.readiness.record(name, report);
        if (last.get(name) !== report.status) {
          if (last.has(name) || report.status !== 'up') this.logger.warn({ service: name, status: report.status, report }, 'service readiness changed');
          last.set(name, report.status);
        }
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, WATCH_EVERY_MS);
      });
    }
  }
}
