import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { brandStyle, renderDocument, type Page } from './pages/layout';

/**
 * Only same-origin scripts, styles and workers; the one inline style (the
 * brand colour) is allowed by its sha256. Logos and images in an
 * alert's body may come from any https origin.
 */
export function contentSecurityPolicy(styleHash?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${styleHash ? ` '${styleHash}'` : ''}`,
    "img-src 'self' https:",
    "connect-src 'self'",
    "worker-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Headers of every public response. Links carry signed tokens, so no page
 * may hand its URL to another site (Referrer-Policy) or sit in a shared cache.
 * `same-origin` rather than `no-referrer`: under `no-referrer` a browser sends
 * `Origin: null` with our own forms' posts, and a browser without
 * Sec-Fetch-Site could not be told from a forged cross-site post.
 */
export function setPublicHeaders(res: Response, styleHash?: string): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(styleHash));
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-store');
}

export function sendPage(res: Response, page: Page): void {
  setPublicHeaders(res, `sha256-${createHash('sha256').update(brandStyle(page.brand)).digest('base64')}`);
  res.status(page.status).type('html').send(renderDocument(page));
}

export function sendRedirect(res: Response, location: string): void {
  setPublicHeaders(res);
  res.redirect(302, location);
}

export function sendJson(res: Response, status: number, body: unknown, download?: string): void {
  setPublicHeaders(res);
  if (download) res.setHeader('Content-Disposition', `attachment; filename="${download}"`);
  res.status(status).json(body);
}

/** Scripts and styles: cacheable for a little while, revalidated soon enough that a deploy reaches everyone. */
export function sendAsset(res: Response, contentType: string, body: string, extraHeaders: Record<string, string> = {}): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy());
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'public, max-age=300');
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  res.status(200).type(contentType).send(body);
}

/** What a public handler answers: a page, JSON (for the join script and API clients; `download` names it as a file) or a redirect. */
export type PublicAnswer = { page: Page } | { json: unknown; status?: number; download?: string } | { redirect: string };

export function respond(res: Response, answer: PublicAnswer): void {
  if ('page' in answer) sendPage(res, answer.page);
  else if ('redirect' in answer) sendRedirect(res, answer.redirect);
  else sendJson(res, answer.status ?? 200, answer.json, answer.download);
}
