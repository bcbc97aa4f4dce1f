import { Module } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import { KvWindowCounters, NATS_CONNECTION } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { SEND_RATE_BUCKET, SEND_RATE_TTL_MS, SendLimits, WINDOW_COUNTERS } from './send-limits';

/** Send rate limits across workers (docs/decisions/0014): counters in a NATS KV bucket, made on first use. */
@Module({
  providers: [
    {
      provide: WINDOW_COUNTERS,
      useFactory: (nc: NatsConnection, config: DeliveryConfig) => new KvWindowCounters(nc, { bucket: SEND_RATE_BUCKET, ttlMs: SEND_RATE_TTL_MS, replicas: config.JETSTREAM_REPLICAS }),
      inject: [NATS_CONNECTION, SERVICE_CONFIG],
    },
    SendLimits,
  ],
  exports: [SendLimits],
})
export class RateLimitsModule {}
