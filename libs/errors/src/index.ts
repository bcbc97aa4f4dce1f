export * from './domain-errors';
export * from './parse-input';
export * from './with-timeout';
