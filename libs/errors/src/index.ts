export * from './domain-errors';
export * from './exception.filter';
export * from './parse-input';
export * from './with-timeout';
