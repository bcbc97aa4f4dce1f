export * from './persistence.module';
export * from './bulk-write';
