import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { StoredDkim, StoredDkimKey } from './org-keys.schema';

/**
 * A DKIM key pair: RSA 2048 (docs/decisions/0030). Ed25519 (RFC 8463) is
 * smaller, but receivers that verify only RSA (several large providers) would
 * treat an Ed25519-only signature as no signature.
 */
export function newDkimKeyPair(): { publicKey: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** A new selector per key, so a rotation publishes a new record beside the old: `clarion-<yyyymmdd>-<random>`. */
export function newSelector(now: Date): string {
  return `clarion-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}

/** The DNS TXT record of a key (RFC 6376 §3.6.1); a DNS host splits it into strings of 255 characters where it must. */
export function dkimRecord(domain: string, key: StoredDkimKey) {
  return {
    selector: key.selector,
    dnsName: `${key.selector}._domainkey.${domain}`,
    txt: `v=DKIM1; k=rsa; p=${key.publicKey}`,
    createdAt: new Date(key.createdAt).toISOString(),
  };
}

export function dkimView(orgId: string, dkim: StoredDkim | undefined) {
  if (!dkim) return { orgId, dkim: null };
  const { domain, current, previous } = dkim;
  return {
    orgId,
    dkim: {
      domain,
      algorithm: 'rsa-sha256' as const,
      current: dkimRecord(domain, current),
      ...(previous ? { previous: dkimRecord(domain, previous) } : {}),
    },
  };
}
