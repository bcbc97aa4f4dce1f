import type { SenderIdentityView } from '@clarion/contracts';
import { openDkimPrivateKey, openSmtpUrl, openVapidPrivateKey, type SecretOpener } from '@clarion/security';

/**
 * An organisation's sender identity as delivery sends with it: the sealed
 * secrets of subscriptions' answer opened with delivery's own key (docs/decisions/0020).
 * Delivery is the only service that holds them in clear, in memory only.
 */
export interface SenderIdentity {
  orgId: string;
  senderName: string;
  vapid: { publicKey: string; privateKey: string; subject: string };
  /** The organisation's own SMTP server, URL with its password; absent: the network's. */
  smtp?: { url: string; from: string };
  /** The organisation's DKIM key, in nodemailer's terms; absent: its email is not signed. */
  dkim?: DkimSigning;
}

/** nodemailer's `dkim` option (https://nodemailer.com/dkim/). */
export interface DkimSigning {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/** Throws SealedSecretError when a secret was sealed to another key, for another organisation or use, or altered. */
export function openSenderIdentity(opener: SecretOpener, view: SenderIdentityView): SenderIdentity {
  const { orgId, senderName, vapid, smtp, dkim } = view;
  return {
    orgId,
    senderName,
    vapid: { publicKey: vapid.publicKey, privateKey: openVapidPrivateKey(opener, orgId, vapid.privateKeySealed), subject: vapid.subject },
    ...(smtp ? { smtp: { url: openSmtpUrl(opener, orgId, smtp), from: smtp.from } } : {}),
    ...(dkim ? { dkim: { domainName: dkim.domain, keySelector: dkim.selector, privateKey: openDkimPrivateKey(opener, orgId, dkim.privateKeySealed) } } : {}),
  };
}
