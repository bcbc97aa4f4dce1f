export * from './persistence.module';
export * from './duplicate-key';
