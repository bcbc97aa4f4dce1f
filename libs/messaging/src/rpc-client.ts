import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { ClientProxy, ClientsModule, Transport } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import { errorBodySchema } from '@clarion/contracts';
import { RemoteError, Unavailable } from '@clarion/errors';
import { natsClientOptions } from './nats-connection';

const RPC_PROXY = Symbol('RPC_PROXY');
const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');

/**
 * Request/reply to another service's queue group. Every call is bounded by a
 * timeout (Unavailable when it passes), and an error body the service replied
 * with comes back as a RemoteError with the same status and field.
 */
@Injectable()
export class RpcClient implements OnApplicationBootstrap {
  constructor(
    @Inject(RPC_PROXY) private readonly proxy: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly defaultTimeoutMs: number,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.proxy.connect();
  }

  async request<T>(subject: string, payload: object, timeoutMs = this.defaultTimeoutMs): Promise<T> {
    try {
      return await firstValueFrom(this.proxy.send<T>(subject, payload).pipe(timeout(timeoutMs)));
    } catch (error) {
      if (error instanceof TimeoutError) throw new Unavailable(`${subject.split('.')[0]} did not answer within ${timeoutMs} ms`);
      const body = errorBodySchema.safeParse(error);
      if (body.success) throw new RemoteError(body.data);
      const message = error instanceof Error ? error.message : String(error);
      throw new Unavailable(`${subject.split('.')[0]} is unavailable: ${message}`);
    }
  }
}

@Module({})
export class RpcClientModule {
  static forRoot(options: { url: string; name: string; timeoutMs: number }): DynamicModule {
    const clients = ClientsModule.register([
      { name: RPC_PROXY, transport: Transport.NATS, options: natsClientOptions(options.url, options.name) },
    ]);
    return {
      module: RpcClientModule,
      global: true,
      imports: [clients],
      providers: [{ provide: RPC_TIMEOUT_MS, useValue: options.timeoutMs }, RpcClient],
      exports: [RpcClient],
    };
  }
}
