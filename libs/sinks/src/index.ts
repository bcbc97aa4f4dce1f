export * from './push-service';
export * from './smtp-sink';
