import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { GatewayConfig } from '@clarion/config';
import { GATEWAY_CONFIG } from '../gateway-config';
import { NetworkHealthService } from './network-health.service';
import { ServiceReadiness } from './service-readiness';

/**
 * Asks every service for its readiness, round after round (READINESS_WATCH_MS
 * between two rounds; a round itself takes at most the health timeout), and
 * tells ServiceReadiness: with the default half second, a database going away
 * is known within about a second, and so is its return.
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
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'READINESS_WATCH_MS'>,
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
        this.timer = setTimeout(resolve, this.config.READINESS_WATCH_MS);
      });
    }
  }
}
