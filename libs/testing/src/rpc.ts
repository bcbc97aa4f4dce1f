import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';
import type { BusService, Principal } from '@clarion/contracts';
import { ASSERTION_FIELD, CallerSigner, natsClientOptions } from '@clarion/messaging';
import type { TestInfra } from './test-infra';

/**
 * A NATS request/reply client speaking Nest's wire format, signed in as one
 * service (the gateway unless told otherwise) and signing its requests as that
 * service would, an `actor` in the payload included: for driving a service
 * through its subjects as its real callers do.
 */
export class TestRpc {
  private constructor(
    private readonly proxy: ClientProxy,
    private readonly signer: CallerSigner,
  ) {}

  static async connect(infra: TestInfra, as: BusService = 'gateway'): Promise<TestRpc> {
    const bus = infra.busSettings(as);
    const proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: natsClientOptions(bus, `test-rpc-${as}`) });
    await proxy.connect();
    return new TestRpc(proxy, new CallerSigner(as, bus.seed));
  }

  /** Resolves with the reply, or rejects with the service's error body `{ statusCode, error, message, field? }`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(subject: string, payload: object, timeoutMs = 5_000): Promise<T> {
    const { actor, ...rest } = payload as { actor?: Principal };
    return this.raw<T>(subject, { ...rest, [ASSERTION_FIELD]: this.signer.sign(subject, actor) }, timeoutMs);
  }

  /** Sends the payload exactly as given, no assertion added: for playing a forger. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  raw<T = any>(subject: string, payload: object, timeoutMs = 5_000): Promise<T> {
    return firstValueFrom(this.proxy.send<T>(subject, payload).pipe(timeout(timeoutMs)));
  }

  close(): Promise<void> {
    return this.proxy.close();
  }
}
