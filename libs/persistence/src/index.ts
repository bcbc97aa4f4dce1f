export * from './persistence.module';
export * from './bulk-write';
export * from './duplicate-key';
