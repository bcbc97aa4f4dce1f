import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { JSONCodec, type NatsConnection } from 'nats';
import { progressSubject, relayProgressV1, type RelayProgress } from '@clarion/contracts';
import { NATS_CONNECTION } from '@clarion/messaging';

export interface FollowHandlers {
  snapshot(snapshot: RelayProgress): void;
  /** The gateway is shutting down: end the response, so the HTTP server can close. */
  shutdown(): void;
}

const codec = JSONCodec<unknown>();

function decoded(data: Uint8Array): unknown {
  try {
    return codec.decode(data);
  } catch {
    return undefined;
  }
}

/**
 * Delivery's live counters of one alert (core NATS `delivery.progress.<alertId>`),
 * for the Server-Sent Events streams. Every open stream is ended before the
 * HTTP server closes, or a shutdown would wait on browsers that never hang up.
 */
@Injectable()
export class ProgressFeed implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ProgressFeed');
  private readonly following = new Set<FollowHandlers>();

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** Starts listening at once; call the returned function to stop. */
  follow(alertId: string, handlers: FollowHandlers): () => void {
    const subscription = this.nc.subscribe(progressSubject(alertId), {
      callback: (error, message) => {
        if (error) return;
        const snapshot = relayProgressV1.safeParse(decoded(message.data));
        if (snapshot.success) handlers.snapshot(snapshot.data);
        else this.logger.warn({ alertId }, 'progress snapshot does not match relayProgressV1; ignored');
      },
    });
    this.following.add(handlers);
    return () => {
      this.following.delete(handlers);
      subscription.unsubscribe();
    };
  }

  beforeApplicationShutdown(): void {
    for (const handlers of [...this.following]) handlers.shutdown();
  }
}
