import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { isDeepStrictEqual } from 'node:util';
import { firstValueFrom, timeout } from 'rxjs';
import type { BusService, Principal, ReplyOf, RequestOf, RequestSubject } from '@clarion/contracts';
import { ASSERTION_FIELD, CallerSigner, checkedReply, natsClientOptions } from '@clarion/messaging';
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

  /**
   * Resolves with the reply, typed by the subject's contract, or rejects with the service's error body
   * `{ statusCode, error, message, field? }`. The reply is given as it came (nothing stripped), and must fit the
   * contract exactly: a field the contract does not declare (which the real callers would drop) fails the test.
   */
  async request<S extends RequestSubject>(subject: S, payload: RequestOf<S>, timeoutMs = 5_000): Promise<ReplyOf<S>> {
    const { actor, ...rest } = payload as { actor?: Principal };
    const reply: unknown = await this.raw(subject, { ...rest, [ASSERTION_FIELD]: this.signer.sign(subject, actor) }, timeoutMs);
    const checked = checkedReply(subject, reply);
    if (!isDeepStrictEqual(checked, reply)) throw new Error(`${subject} answered what its contract does not declare, at ${firstDifference(reply, checked) || 'the reply'}`);
    return reply as ReplyOf<S>;
  }

  /** Signs and checks like request, with a payload the compiler does not check: for input the service must refuse. */
  unchecked<S extends RequestSubject>(subject: S, payload: object, timeoutMs = 5_000): Promise<ReplyOf<S>> {
    return this.request(subject, payload as RequestOf<S>, timeoutMs);
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

/** Where a reply as sent and as its contract reads it part (a dotted path): the field the contract does not declare, or changes. */
function firstDifference(sent: unknown, read: unknown, path = ''): string | undefined {
  if (isDeepStrictEqual(sent, read)) return undefined;
  if (typeof sent !== 'object' || typeof read !== 'object' || sent === null || read === null) return path;
  const keys = new Set([...Object.keys(sent), ...Object.keys(read)]);
  for (const key of keys) {
    const found = firstDifference((sent as Record<string, unknown>)[key], (read as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return path;
}
