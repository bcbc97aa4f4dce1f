import { emailChannel } from './email/email.contact';
import { pushChannel } from './push/push.contact';
import { smsChannel } from './sms/sms.contact';

/**
 * Every delivery channel, one line each, in the order pages and views list them. A channel is added here
 * and nowhere else in the shared code; the compiler then asks for its sender in delivery (docs/adding-a-channel.md).
 */
export const channels = {
  email: emailChannel,
  push: pushChannel,
  sms: smsChannel,
} as const;
