import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** The console session's cookie (docs/decisions/0025). */
export const SESSION_COOKIE = 'clarion_session';

/**
 * HttpOnly (no script reads it), Secure (never over plain http — browsers
 * count http://localhost and 127.0.0.1 as secure, so it works on a
 * developer's machine), SameSite=Strict (never sent with a request another
 * site starts), the whole site (the console at /console, its API at /api).
 */
const ATTRIBUTES = 'Path=/; HttpOnly; Secure; SameSite=Strict';

export const newSessionSecret = () => `cls_${randomBytes(32).toString('base64url')}`;

/**
 * The CSRF token of a session, derived from its secret: the gateway needs to
 * store nothing, and it reveals nothing of the secret. Only a page that may
 * read GET /auth/session (same origin: no CORS) learns it.
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHash('sha256').update(`clarion-csrf:${sessionSecret}`).digest('base64url');
}

export function csrfMatches(sessionSecret: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionSecret));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The session secret a request carries in its Cookie header, if any. */
export function sessionSecretOf(req: Pick<Request, 'headers'>): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(at + 1).trim();
    return /^cls_[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined;
  }
  return undefined;
}

export function setSessionCookie(res: Response, secret: string, expiresAt: Date): void {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  res.append('Set-Cookie', `${SESSION_COOKIE}=${secret}; ${ATTRIBUTES}; Max-Age=${maxAge}`);
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`);
}

/**
 * Whether a browser request comes from our own pages: its Origin is the
 * public address, or the address the request was sent to. Browsers send
 * Origin with every POST, PUT, PATCH and DELETE; a request without one is
 * refused where a cookie would act.
 */
export function isSameOrigin(req: Pick<Request, 'get' | 'protocol'>, publicOrigin: string): boolean {
  const origin = req.get('origin');
  if (!origin) return false;
  return origin === publicOrigin || origin === `${req.protocol}://${req.get('host') ?? ''}`;
}
