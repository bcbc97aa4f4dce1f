export * from './bootstrap';
export * from './service-core.module';
export * from './security-headers';
