export * from './keys';
export * from './secret-box';
export * from './signed-token';
