import type { SecretOpener, SecretSealer } from './sealed-secret';

/**
 * An organisation's sending secrets, sealed to delivery's key wherever they
 * are made (docs/decisions/0020): its VAPID private key (subscriptions makes
 * it) and its SMTP password (the gateway takes it from the URL an admin gives).
 * Each is sealed for what it is and whose, so it opens only as that.
 */
export type SenderSecretKind = 'vapid-private-key' | 'smtp-password' | 'dkim-private-key';

export const senderSecretContext = (kind: SenderSecretKind, orgId: string): string => `clarion/${kind}/${orgId}`;

/** An SMTP server as it is carried and stored: the URL without its password, and the password sealed. */
export interface SealedSmtpUrl {
  url: string;
  passwordSealed?: string;
}

/**
 * Takes the password out of an smtp(s) URL and seals it for the organisation.
 * The password is sealed as it stands in the URL (percent-encoded), so putting
 * it back gives the URL as it was.
 */
export function sealSmtpUrl(sealer: SecretSealer, orgId: string, url: string): SealedSmtpUrl {
  const parsed = new URL(url);
  if (!parsed.password) return { url };
  const password = parsed.password;
  parsed.password = '';
  return { url: parsed.href, passwordSealed: sealer.seal(password, senderSecretContext('smtp-password', orgId)) };
}

/** The URL with its password back in: for delivery alone, which holds the key. */
export function openSmtpUrl(opener: SecretOpener, orgId: string, smtp: SealedSmtpUrl): string {
  if (!smtp.passwordSealed) return smtp.url;
  const parsed = new URL(smtp.url);
  parsed.password = opener.open(smtp.passwordSealed, senderSecretContext('smtp-password', orgId));
  return parsed.href;
}

export const sealVapidPrivateKey = (sealer: SecretSealer, orgId: string, privateKey: string): string =>
  sealer.seal(privateKey, senderSecretContext('vapid-private-key', orgId));

export const openVapidPrivateKey = (opener: SecretOpener, orgId: string, sealed: string): string =>
  opener.open(sealed, senderSecretContext('vapid-private-key', orgId));

/** An organisation's DKIM private key (PEM), made and sealed by subscriptions (docs/decisions/0030). */
export const sealDkimPrivateKey = (sealer: SecretSealer, orgId: string, privateKeyPem: string): string =>
  sealer.seal(privateKeyPem, senderSecretContext('dkim-private-key', orgId));

export const openDkimPrivateKey = (opener: SecretOpener, orgId: string, sealed: string): string =>
  opener.open(sealed, senderSecretContext('dkim-private-key', orgId));
