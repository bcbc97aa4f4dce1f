import { createHmac, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is
 * `whsec_` and base64 key bytes; each signature is `v1,` and the base64
 * HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`; during a secret
 * rotation the header carries one signature per secret, space-separated, and a
 * receiver accepts any. A dozen lines on node:crypto, so the tests can check
 * them against the reference implementation (the `standardwebhooks` package)
 * rather than against the code that signed (docs/decisions/0029).
 */
const PREFIX = 'whsec_';
const KEY_BYTES = 32;

export function newWebhookSecret(): string {
  return PREFIX + randomBytes(KEY_BYTES).toString('base64');
}

export function signatureHeader(secrets: readonly string[], messageId: string, timestamp: number, body: string): string {
  return secrets.map((secret) => `v1,${sign(secret, messageId, timestamp, body)}`).join(' ');
}

function sign(secret: string, messageId: string, timestamp: number, body: string): string {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  return createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
}
