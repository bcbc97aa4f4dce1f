export * from './env-fields';
export * from './load-config';
export * from './service-config';
