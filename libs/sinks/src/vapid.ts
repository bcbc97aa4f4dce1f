import { createPublicKey, verify } from 'node:crypto';
import { HttpError } from './http-util';

/** RFC 8292 §2: a push service may reject tokens that expire further out than this. */
const MAX_TOKEN_LIFETIME_S = 24 * 60 * 60;

export interface VapidCredentials {
  token: string;
  /** The application server's public key as sent, base64url. */
  key: string;
}

export interface VapidIdentity {
  subject: string;
  publicKey: string;
}

/** Parses `Authorization: vapid t=<jwt>, k=<key>` (RFC 8292 §3). Missing or malformed is a 401: the sender did not authenticate. */
export function parseVapidAuthorization(header: string | undefined): VapidCredentials {
  const match = /^vapid\s+(.+)$/i.exec(header ?? '');
  if (!match) throw new HttpError(401, 'Authorization must use the vapid scheme: vapid t=<JWT>, k=<public key>');
  const params = new Map(
    match[1].split(',').map((part) => {
      const [name, ...value] = part.trim().split('=');
      return [name.toLowerCase(), value.join('=')] as const;
    }),
  );
  const token = params.get('t');
  const key = params.get('k');
  if (!token || !key) throw new HttpError(401, 'vapid Authorization needs both t= and k=');
  return { token, key };
}

export interface VerifyOptions {
  /** The push service's origin, which `aud` must name. */
  audience: string;
  /** Verifying the ES256 signature dominates the cost of a push; benchmarks may skip it for most messages. */
  checkSignature: boolean;
}

/** Checks the JWT as a push service must (RFC 8292 §2, §4); anything wrong is a 403 naming the problem. */
export function verifyVapid({ token, key }: VapidCredentials, { audience, checkSignature }: VerifyOptions): VapidIdentity {
  const parts = token.split('.');
  if (parts.length !== 3) throw forbidden('t is not a JWT (expected three dot-separated parts)');
  const [encodedHeader, encodedClaims, encodedSignature] = parts;
  const header = decodeJson(encodedHeader, 'JWT header');
  if (header.alg !== 'ES256') throw forbidden(`JWT alg must be ES256, got ${String(header.alg)}`);

  const claims = decodeJson(encodedClaims, 'JWT claims');
  if (claims.aud !== audience) throw forbidden(`JWT aud must be ${audience}, got ${String(claims.aud)}`);
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number') throw forbidden('JWT exp must be a number of seconds since the epoch');
  if (claims.exp <= now) throw forbidden(`JWT expired at ${new Date(claims.exp * 1000).toISOString()}`);
  if (claims.exp > now + MAX_TOKEN_LIFETIME_S) throw forbidden('JWT exp is more than 24 hours ahead');
  if (typeof claims.sub !== 'string' || !isContactUrl(claims.sub)) throw forbidden('JWT sub must be a mailto: or https: URL');

  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) throw forbidden('k must be an uncompressed P-256 public key (65 bytes, base64url)');
  if (checkSignature) {
    const signature = Buffer.from(encodedSignature, 'base64url');
    const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
    if (signature.length !== 64 || !verify('sha256', signed, { key: publicKeyFromPoint(point), dsaEncoding: 'ieee-p1363' }, signature)) {
      throw forbidden('JWT signature does not verify with the key in k');
    }
  }
  return { subject: claims.sub, publicKey: key };
}

function publicKeyFromPoint(point: Buffer) {
  try {
    return createPublicKey({
      format: 'jwk',
      key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    });
  } catch {
    throw forbidden('k is not a point on the P-256 curve');
  }
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw forbidden(`${what} is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw forbidden(`${what} is not a JSON object`);
  return value as Record<string, unknown>;
}

function isContactUrl(value: string): boolean {
  try {
    return ['mailto:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function forbidden(reason: string): HttpError {
  return new HttpError(403, reason);
}
