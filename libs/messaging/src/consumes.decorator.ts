import type { EventSubject } from '@clarion/contracts';
import type { ConsumerHandler, DurableConsumerOptions } from './durable-consumer';

/** How a durable consumer retries and paces itself; every field has DurableConsumer's default. */
export type ConsumerSettings = Pick<DurableConsumerOptions<EventSubject>, 'ackWaitMs' | 'concurrency' | 'maxDeliver' | 'backoffMs' | 'handlerDeadlineMs'>;

/** One durable consumer: what it reads, under which name, and how (the stream comes from the contracts). */
export interface ConsumerDeclaration<S extends EventSubject, C = never> {
  subject: S;
  /**
   * JetStream keeps the consumer's position under this name, and the NATS permissions
   * (the consumers table in libs/contracts bus-access.ts) allow exactly this name: renaming
   * one starts a new consumer from the stream's first message.
   */
  durable: string;
  /** Fixed, or read from the service's validated config (NatsModule's `config`) at start. */
  settings?: ConsumerSettings | ((config: C) => ConsumerSettings);
}

/** A declaration as the ConsumerRunner finds it: with the method that handles its messages. */
export interface DeclaredConsumer extends ConsumerDeclaration<EventSubject, unknown> {
  method: string | symbol;
}

const CONSUMERS_METADATA = 'clarion:consumers';

/**
 * Makes a provider's method the handler of one durable JetStream consumer per
 * declaration: the ConsumerRunner (NatsModule) finds it, starts the consumer
 * once the application has bootstrapped, and drains it at shutdown. A method
 * whose arguments do not fit the declared subjects' payloads does not compile.
 */
export function Consumes<S extends EventSubject, C = never>(...declarations: ConsumerDeclaration<S, C>[]) {
  return <H extends ConsumerHandler<S>>(target: object, method: string | symbol, _descriptor: TypedPropertyDescriptor<H>): void => {
    const declared = [...declaredConsumersOf(target.constructor), ...declarations.map((declaration) => ({ ...declaration, method }) as DeclaredConsumer)];
    Reflect.defineMetadata(CONSUMERS_METADATA, declared, target.constructor);
  };
}

/** The consumers a class declares, in the order its methods are written. */
export function declaredConsumersOf(type: object): DeclaredConsumer[] {
  return (Reflect.getOwnMetadata(CONSUMERS_METADATA, type) as DeclaredConsumer[] | undefined) ?? [];
}
