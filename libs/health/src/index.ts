export * from './health-rpc.controller';
export * from './health.controller';
export * from './readiness.service';
