import { Injectable, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { JsMsg } from 'nats';
import { eventSubjects, type EventPayload, type EventSubject } from '@clarion/contracts';
import { consumerRunnerProviders } from './consumer-runner';
import { Consumes } from './consumes.decorator';
import type { ConsumerOutcome } from './durable-consumer';
import { NATS_CONNECTION } from './nats-connection';

const handled = async (): Promise<ConsumerOutcome> => ({ kind: 'handled' });

/** Starts an application context holding the runner and `consumers`, with a NATS connection that records every use in `natsCalls`. */
async function start(consumers: Type[], natsCalls: string[] = []): Promise<void> {
  const nc = { jetstream: () => natsCalls.push('jetstream'), jetstreamManager: () => natsCalls.push('jetstreamManager') };
  const app = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [{ provide: NATS_CONNECTION, useValue: nc }, ...consumerRunnerProviders({ service: 'delivery' }), ...consumers],
  }).compile();
  app.useLogger(false);
  try {
    await app.init();
  } finally {
    await app.close();
  }
}

describe('ConsumerRunner at start', () => {
  it('refuses a declaration whose subject no stream stores, naming it, before any consumer is made', async () => {
    @Injectable()
    class Strays {
      @Consumes({ subject: 'nowhere.facts.stray.v1' as EventSubject, durable: 'delivery-strays' })
      stray(): Promise<ConsumerOutcome> {
        return handled();
      }
    }
    const natsCalls: string[] = [];
    await expect(start([Strays], natsCalls)).rejects.toThrow(
      'Strays.stray: consumer delivery-strays reads nowhere.facts.stray.v1, which no stream stores; add the subject to a stream in libs/contracts/src/streams.ts',
    );
    expect(natsCalls).toEqual([]);
  });

  it("refuses a durable the contracts' consumers table does not give the service (the server would refuse it)", async () => {
    @Injectable()
    class Unlisted {
      @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled-2' })
      cancelled(): Promise<ConsumerOutcome> {
        return handled();
      }
    }
    await expect(start([Unlisted])).rejects.toThrow(/Unlisted\.cancelled: consumer delivery-relay-cancelled-2 of relays\.relay\.cancelled\.v1 is not in the consumers table .* for delivery/);
  });

  it('refuses one durable declared by two handlers', async () => {
    @Injectable()
    class Twice {
      @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled' })
      first(): Promise<ConsumerOutcome> {
        return handled();
      }

      @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled' })
      second(): Promise<ConsumerOutcome> {
        return handled();
      }
    }
    await expect(start([Twice])).rejects.toThrow('Twice.second: consumer delivery-relay-cancelled is declared twice (also by Twice.first)');
  });

  it('refuses settings read from the service config when it was given none', async () => {
    @Injectable()
    class Configured {
      @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled', settings: (config: { ACK_WAIT_MS: number }) => ({ ackWaitMs: config.ACK_WAIT_MS }) })
      cancelled(): Promise<ConsumerOutcome> {
        return handled();
      }
    }
    await expect(start([Configured])).rejects.toThrow('Configured.cancelled: its settings read the service config, and NatsModule was given none');
  });

  it('makes no consumer and touches no connection in an application that declares none', async () => {
    const natsCalls: string[] = [];
    await start([], natsCalls);
    expect(natsCalls).toEqual([]);
  });

  // Checked by the compiler (npm run typecheck), not at run time: each decorated method below must fail to compile.
  it('does not compile a handler whose payload is not the declared subject’s', () => {
    class Misfits {
      // @ts-expect-error a relay.cancelled handler is given a cancelled relay, not a published alert
      @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled' })
      cancelled(event: EventPayload<typeof eventSubjects.alertPublished>): Promise<ConsumerOutcome> {
        return Promise.resolve({ kind: 'skipped', reason: event.alert.alertId });
      }

      // @ts-expect-error a handler answers with an outcome (handled, skipped, retry), not a bare value
      @Consumes({ subject: eventSubjects.relayCancelled, durable: 'delivery-relay-cancelled' })
      silent(_event: EventPayload<typeof eventSubjects.relayCancelled>, _msg: JsMsg): Promise<void> {
        return Promise.resolve();
      }
    }
    expect(Misfits).toBeInstanceOf(Function);
  });
});
