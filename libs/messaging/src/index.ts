export * from './durable-consumer';
export * from './event-publisher';
export * from './jetstream-setup';
export * from './nats-connection';
export * from './nats.module';
export * from './rpc-client';
export * from './caller-assertion';
export * from './caller.guard';
