import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens (bearer secrets). The gateway makes them and hashes every one it
 * is shown; only the hash crosses the bus and is stored (subscriptions), so
 * neither a bus eavesdropper nor a copy of the database learns a usable token.
 */

/** 256 random bits; the prefix makes a leaked token recognisable to secret scanners. */
export function newTokenSecret(): string {
  return `clr_${randomBytes(32).toString('base64url')}`;
}

/** A fast hash is enough: the secret is random, not a password anyone could guess. Hex sha256 (libs/contracts `tokenHash`). */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
