import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits; the prefix makes a leaked token recognisable to secret scanners. */
export function newTokenSecret(): string {
  return `clr_${randomBytes(32).toString('base64url')}`;
}

/** A fast hash is enough: the secret is random, not a password anyone could guess. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
