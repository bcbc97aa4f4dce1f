import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { JSONCodec, type NatsConnection } from 'nats';
import { isNewerProgress, progressSubject, type RelayProgress } from '@clarion/contracts';
import { NATS_CONNECTION } from '@clarion/messaging';
import { errorMessage } from '../common/error-message';

/** At most five snapshots a second per relay: a fan-out of many small batches must not flood the live view. */
const QUIET_MS = 200;

const codec = JSONCodec<RelayProgress>();

/**
 * Live counters on core NATS (fire-and-forget: the next snapshot replaces a
 * lost one). The first snapshot goes out at once; later ones within the
 * quiet window collapse into the newest, sent when the window ends.
 */
@Injectable()
export class ProgressPublisher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ProgressPublisher.name);
  private readonly windows = new Map<string, { timer: NodeJS.Timeout; latest?: RelayProgress }>();

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  publish(snapshot: RelayProgress): void {
    const window = this.windows.get(snapshot.relayId);
    if (window) {
      if (!window.latest || isNewerProgress(snapshot, window.latest)) window.latest = snapshot;
      return;
    }
    this.send(snapshot);
    this.windows.set(snapshot.relayId, { timer: setTimeout(() => this.closeWindow(snapshot.relayId), QUIET_MS) });
  }

  /** After the consumers drained (onModuleDestroy) and before NATS does: the last word of every relay goes out. */
  beforeApplicationShutdown(): void {
    for (const { timer, latest } of this.windows.values()) {
      clearTimeout(timer);
      if (latest) this.send(latest);
    }
    this.windows.clear();
  }

  private closeWindow(relayId: string): void {
    const latest = this.windows.get(relayId)?.latest;
    this.windows.delete(relayId);
    if (latest) this.publish(latest);
  }

  private send(snapshot: RelayProgress): void {
    try {
      this.nc.publish(progressSubject(snapshot.alertId), codec.encode(snapshot));
    } catch (error) {
      this.logger.warn({ relayId: snapshot.relayId, err: errorMessage(error) }, 'progress snapshot not published');
    }
  }
}
