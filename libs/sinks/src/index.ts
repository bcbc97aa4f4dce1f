export * from './plaintext-push-agent';
export * from './push-service';
export * from './smtp-sink';
