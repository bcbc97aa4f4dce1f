export * from './keys';
export * from './push-endpoint';
export * from './secret-box';
export * from './signed-token';
export * from './plaintext-push-agent';
export * from './bus-identity';
export * from './outbound';
