export * from './inbound-sms';
export * from './phone-number';
export * from './sms-keywords';
export * from './sms-opt-in';
export * from './sms-segments';
export * from './sms.config';
export * from './sms.contact';
export * from './twilio-signature';
