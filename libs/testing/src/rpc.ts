import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout } from 'rxjs';

/** A NATS request/reply client speaking Nest's wire format, for driving a service through its subjects. */
export class TestRpc {
  private constructor(private readonly proxy: ClientProxy) {}

  static async connect(natsUrl: string): Promise<TestRpc> {
    const proxy = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: [natsUrl] } });
    await proxy.connect();
    return new TestRpc(proxy);
  }

  /** Resolves with the reply, or rejects with the service's error body `{ statusCode, error, message, field? }`. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request<T = any>(subject: string, payload: object, timeoutMs = 5_000): Promise<T> {
    return firstValueFrom(this.proxy.send<T>(subject, payload).pipe(timeout(timeoutMs)));
  }

  close(): Promise<void> {
    return this.proxy.close();
  }
}
