export * from './binaries';
export * from './infra-servers';
export * from './managed-process';
export * from './nats-cluster';
export * from './network';
export * from './paths';
export * from './service-process';
