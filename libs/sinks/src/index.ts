export * from './push-service';
export * from './sms-provider';
export * from './smtp-sink';
