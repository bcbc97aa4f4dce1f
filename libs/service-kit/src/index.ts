export * from './bootstrap';
export * from './error-body.filter';
export * from './service-core.module';
export * from './service-root';
export * from './security-headers';
