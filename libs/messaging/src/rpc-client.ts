import { Inject, Injectable, Logger, Module, Optional, type DynamicModule, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { ClientProxy, ClientsModule, NatsRecordBuilder, Transport } from '@nestjs/microservices';
import { headers as natsHeaders } from 'nats';
import { injectContext, inSpan, SpanKind } from '@clarion/observability';
import { context } from '@opentelemetry/api';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import type { z } from 'zod';
import { errorBodySchema, requestContracts, type Principal, type ReplyOf, type RequestOf, type RequestSubject } from '@clarion/contracts';
import { RemoteError, Unavailable } from '@clarion/errors';
import { ASSERTION_FIELD, CallerSigner } from './caller-assertion';
import { natsClientOptions, type BusSettings } from './nats-connection';

const RPC_PROXY = Symbol('RPC_PROXY');
const RPC_TIMEOUT_MS = Symbol('RPC_TIMEOUT_MS');
const RPC_GATE = Symbol('RPC_GATE');

/**
 * Asked before every request: throws (an Unavailable) when the service that
 * owns the subject is known not to be ready, so the caller is answered at
 * once instead of after the timeout. The gateway's is fed by its readiness checks.
 */
export interface RpcGate {
  assertReady(subject: string): void;
}

/**
 * A reply checked against its subject's contract (requestContracts). A
 * service answering outside it is as good as one not answering: the caller
 * gets an Unavailable naming the subject and the first field at fault, never
 * a value its types do not describe.
 */
export function checkedReply<S extends RequestSubject>(subject: S, reply: unknown): ReplyOf<S> {
  const result = (requestContracts[subject].reply as z.ZodType).safeParse(reply);
  if (result.success) return result.data as ReplyOf<S>;
  const issue = result.error.issues[0];
  const where = issue.path.length ? issue.path.map(String).join('.') : 'the reply';
  throw new Unavailable(`${subject} answered outside its contract: ${where} ${issue.message}`);
}

/**
 * Request/reply to another service's queue group, typed by the subject's
 * entry in requestContracts: the payload it takes and the reply it answers
 * (checked, see checkedReply). Every request carries this service's signed
 * caller assertion; an `actor` in the payload travels inside it (signed),
 * never as a plain field. Every call is bounded by a timeout (Unavailable
 * when it passes), and an error body the service replied with comes back as
 * a RemoteError with the same status and field.
 */
@Injectable()
export class RpcClient implements OnApplicationBootstrap {
  private readonly logger = new Logger('RpcClient');

  constructor(
    @Inject(RPC_PROXY) private readonly proxy: ClientProxy,
    @Inject(RPC_TIMEOUT_MS) private readonly defaultTimeoutMs: number,
    private readonly signer: CallerSigner,
    @Optional() @Inject(RPC_GATE) private readonly gate?: RpcGate,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.proxy.connect();
  }

  async request<S extends RequestSubject>(subject: S, payload: RequestOf<S>, timeoutMs = this.defaultTimeoutMs): Promise<ReplyOf<S>> {
    this.gate?.assertReady(subject);
    const { actor, ...rest } = payload as { actor?: Principal };
    const signed = { ...rest, [ASSERTION_FIELD]: this.signer.sign(subject, actor) };
    let reply: unknown;
    try {
      reply = await inSpan(`request ${subject}`, SpanKind.CLIENT, context.active(), () => {
        // The caller's trace travels in the request's headers (traceparent); the payload stays as the contract says.
        const h = natsHeaders();
        injectContext(h);
        const record = new NatsRecordBuilder(signed).setHeaders(h).build();
        return firstValueFrom(this.proxy.send<unknown>(subject, record).pipe(timeout(timeoutMs)));
      });
    } catch (error) {
      if (error instanceof TimeoutError) throw new Unavailable(`${subject.split('.')[0]} did not answer within ${timeoutMs} ms`);
      const body = errorBodySchema.safeParse(error);
      if (body.success) throw new RemoteError(body.data);
      const message = error instanceof Error ? error.message : String(error);
      throw new Unavailable(`${subject.split('.')[0]} is unavailable: ${message}`);
    }
    try {
      return checkedReply(subject, reply);
    } catch (error) {
      // A contract broken between two services is a bug to fix, not a passing outage.
      this.logger.error((error as Error).message);
      throw error;
    }
  }
}

@Module({})
export class RpcClientModule {
  /** `gate`: a class (without dependencies) consulted before every request; also exported, so whatever feeds it can inject it. */
  static forRoot(options: { bus: BusSettings; name: string; timeoutMs: number; gate?: Type<RpcGate> }): DynamicModule {
    const clients = ClientsModule.register([
      { name: RPC_PROXY, transport: Transport.NATS, options: natsClientOptions(options.bus, options.name) },
    ]);
    const gate = options.gate ? [options.gate] : [];
    return {
      module: RpcClientModule,
      global: true,
      imports: [clients],
      providers: [{ provide: RPC_TIMEOUT_MS, useValue: options.timeoutMs }, RpcClient, ...gate, ...gate.map((useExisting) => ({ provide: RPC_GATE, useExisting }))],
      exports: [RpcClient, ...gate],
    };
  }
}
