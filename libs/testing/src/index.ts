export * from './service-processes';
export * from './test-infra';
export * from './http';
export * from './rpc';
export * from './sse';
export * from './sample-alert';
export * from './bus-fixture';
export * from './canary';
