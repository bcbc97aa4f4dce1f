import { connect, Events, type NatsConnection } from 'nats';
import type { BusService } from '@clarion/contracts';
import { natsClientOptions } from '@clarion/messaging';
import type { TestInfra } from '@clarion/testing';

export interface Watched {
  nc: NatsConnection;
  /** `publish <subject>` / `subscription <subject>`: every permissions violation the server reported. */
  violations: Set<string>;
}

/** A connection with a service's own credentials that records every permissions violation the server reports to it. */
export async function connectWatched(infra: TestInfra, service: BusService, name: string): Promise<Watched> {
  const nc = await connect(natsClientOptions(infra.busSettings(service), name));
  const violations = new Set<string>();
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === Events.Error && status.permissionContext) violations.add(`${status.permissionContext.operation} ${status.permissionContext.subject}`);
    }
  })();
  return { nc, violations };
}
