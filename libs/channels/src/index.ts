export * from './channel-config';
export * from './channel-definition';
export * from './contacts';
export * from './registry';
export * from './email/email.contact';
export * from './push/push.contact';
export * from './sms';
