export * from './bootstrap';
export * from './service-core.module';
export * from './service-root';
export * from './security-headers';
