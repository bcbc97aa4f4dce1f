import type { DeliveryChannel, Recipient } from '@clarion/contracts';
import type { SenderIdentity } from '../sender-identity/sender-identity';

/** The push services browsers use, by the end of their host; anything else is `other-push`. */
const PUSH_SERVICES: [suffix: string, name: string][] = [
  ['fcm.googleapis.com', 'fcm'],
  ['push.services.mozilla.com', 'mozilla'],
  ['push.apple.com', 'apple'],
  ['notify.windows.com', 'wns'],
];

/**
 * A bounded name for who refused a send, for the send-error metric: the
 * organisation's own SMTP server or the network's, or the browser vendor's
 * push service. Never a host name as given (a supporter or an organisation
 * chooses those, so they would make unbounded, identifying label values).
 */
export function providerClass(channel: DeliveryChannel, recipient: Recipient | undefined, identity: Pick<SenderIdentity, 'smtp'>): string {
  if (channel === 'email') return identity.smtp ? 'smtp-organisation' : 'smtp-network';
  let host = '';
  try {
    host = recipient?.push ? new URL(recipient.push.endpoint).hostname.toLowerCase() : '';
  } catch {
    return 'other-push';
  }
  const known = PUSH_SERVICES.find(([suffix]) => host === suffix || host.endsWith(`.${suffix}`));
  return known ? known[1] : 'other-push';
}
