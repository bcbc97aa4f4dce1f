import { Inject, Injectable, Optional } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { NatsConnection } from 'nats';
import type { ServiceHealth } from '@clarion/contracts';
import { withTimeout } from '@clarion/errors';
import { NATS_CONNECTION } from '@clarion/messaging';

export const SERVICE_NAME = Symbol('SERVICE_NAME');

const CHECK_TIMEOUT_MS = 1_000;

const unanswered = (what: string) => `${what} did not answer within ${CHECK_TIMEOUT_MS} ms`;

/**
 * Readiness of this process: its NATS connection and, where it has one, its
 * database, each checked with a real round trip bounded by a short timeout.
 */
@Injectable()
export class ReadinessService {
  private readonly startedAt = Date.now();

  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Optional() @Inject(getConnectionToken()) private readonly db?: Connection,
  ) {}

  async report(): Promise<ServiceHealth> {
    const components: ServiceHealth['components'] = { nats: await this.checkNats() };
    if (this.db) components.database = await this.checkDatabase(this.db);
    const down = Object.values(components).some((c) => c.status === 'down');
    return {
      service: this.service,
      status: down ? 'down' : 'up',
      components,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
    };
  }

  private async checkNats(): Promise<ServiceHealth['components'][string]> {
    try {
      if (this.nc.isClosed()) return { status: 'down', detail: 'connection closed' };
      const rtt = await withTimeout(this.nc.rtt(), CHECK_TIMEOUT_MS, unanswered('NATS'));
      return { status: 'up', detail: `${this.nc.getServer()} rtt ${rtt} ms` };
    } catch (error) {
      return { status: 'down', detail: (error as Error).message };
    }
  }

  private async checkDatabase(db: Connection): Promise<ServiceHealth['components'][string]> {
    try {
      if (db.readyState !== 1 || !db.db) return { status: 'down', detail: 'not connected' };
      await withTimeout(db.db.admin().ping(), CHECK_TIMEOUT_MS, unanswered('database'));
      return { status: 'up', detail: db.name };
    } catch (error) {
      return { status: 'down', detail: (error as Error).message };
    }
  }
}
