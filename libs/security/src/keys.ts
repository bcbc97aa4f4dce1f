import { hkdfSync } from 'node:crypto';

/**
 * One installation secret (SECRET_KEY) yields an independent key per purpose,
 * so a key leaked from one use (say, link signing) reveals nothing of another.
 */
export type KeyPurpose = 'link-signing' | 'at-rest-encryption' | 'opt-in-codes';

export function deriveKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'clarion', purpose, 32));
}
