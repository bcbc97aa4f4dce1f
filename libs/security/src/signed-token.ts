import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './keys';

const MAC_BYTES = 16;

/**
 * Short signed tokens for links in messages (confirm, unsubscribe, click):
 * `<base64url JSON>.<base64url HMAC-SHA256/128>`. They carry ids, never
 * personal data, and optionally an expiry (`exp`, seconds since the epoch).
 */
export class LinkSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = deriveKey(secret, 'link-signing');
  }

  sign(kind: string, claims: Record<string, string | number>, ttlSeconds?: number): string {
    const body = { k: kind, ...claims, ...(ttlSeconds ? { exp: Math.floor(Date.now() / 1000) + ttlSeconds } : {}) };
    const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The claims, or undefined when the token is malformed, forged, of another kind, or expired. */
  verify(kind: string, token: string): Record<string, string | number> | undefined {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(payload), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let claims: Record<string, string | number>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (claims.k !== kind) return undefined;
    if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return undefined;
    return claims;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, MAC_BYTES).toString('base64url');
  }
}
