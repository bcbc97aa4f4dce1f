import type { INestApplication } from '@nestjs/common';
import type { Express, NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '@clarion/config';
import type { ErrorBody } from '@clarion/contracts';
import { errorPage } from '../public/pages/error-page';
import { sendJson, sendPage } from '../public/page-response';
import { languageOf, wantsJson } from '../public/public-request';
import { GATEWAY_CONFIG } from '../gateway-config';
import { ClientLimits, type LimitScope } from './client-limits';

/**
 * The public writes: join (and push subscribe, the same route), confirm, unsubscribe, preferences,
 * a browser's push renewal, and a supporter's own export and erasure (each asks every store).
 */
const PUBLIC_WRITES: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/join\/[^/]+\/?$/ },
  { method: 'GET', path: /^\/join\/confirm\/[^/]+\/?$/ },
  { method: 'POST', path: /^\/join\/[^/]+\/push\/renew\/?$/ },
  { method: 'POST', path: /^\/join\/[^/]+\/code\/?$/ },
  { method: 'POST', path: /^\/u\/[^/]+\/?$/ },
  { method: 'POST', path: /^\/p\/[^/]+\/?$/ },
  { method: 'GET', path: /^\/p\/[^/]+\/export\/?$/ },
  { method: 'POST', path: /^\/p\/[^/]+\/erase\/?$/ },
];

/** API calls anyone may make, counted as public writes: asking for a sign-in link (an email goes out) and using one. */
const PUBLIC_API_WRITES: { method: string; path: RegExp }[] = [
  { method: 'POST', path: /^\/api\/v1\/auth\/sign-in-links\/?$/ },
  { method: 'POST', path: /^\/api\/v1\/auth\/sessions\/?$/ },
];

/**
 * The forms a page of ours posts, where a forged cross-site post would act
 * for a visitor who did not mean to: join (sends a confirmation email or code), the code form and
 * preferences. Unsubscribe is left out: RFC 8058's one-click POST comes from
 * mail systems, and its link's token already is the authority.
 */
const OWN_FORMS = [/^\/join\/[^/]+\/?$/, /^\/join\/[^/]+\/code\/?$/, /^\/p\/[^/]+\/?$/, /^\/p\/[^/]+\/erase\/?$/];

/** Whether a request posts one of our own forms (the cross-site check applies). */
export const postsOwnForm = (method: string, path: string) => method === 'POST' && OWN_FORMS.some((form) => form.test(path));

/** What a request counts against, if anything. */
export function limitScopeOf(method: string, path: string): LimitScope | undefined {
  if (PUBLIC_API_WRITES.some((write) => write.method === method && write.path.test(path))) return 'public';
  if (path.startsWith('/api/v1/')) return 'api';
  return PUBLIC_WRITES.some((write) => write.method === method && write.path.test(path)) ? 'public' : undefined;
}

/**
 * Why a browser request that another site made must not be served, or
 * undefined. Browsers say where a request comes from: Sec-Fetch-Site (all
 * current ones), else Origin, which every browser sends on a cross-origin
 * POST. A request with neither is not a browser's, and so not forged by
 * one: API clients, curl, a mail system. The same rule for the form and the
 * JSON join.
 */
export function crossSiteRefusal(req: Pick<Request, 'get'>, publicOrigin: string): string | undefined {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none' ? undefined : `a ${site} request is refused here; use the form on ${publicOrigin}`;
  const origin = req.get('origin');
  if (origin === undefined || origin === publicOrigin) return undefined;
  return `a request from another site is refused here; use the form on ${publicOrigin}`;
}

/**
 * Mounted before every route and body parser: Express's `trust proxy` from
 * TRUSTED_PROXIES (so `req.ip` is the client behind them), the cross-site
 * check on our forms, and the per-client limits (429 with Retry-After).
 */
export function mountRequestGuards(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  const config = app.get<GatewayConfig>(GATEWAY_CONFIG);
  const limits = app.get(ClientLimits);
  const publicOrigin = new URL(config.PUBLIC_BASE_URL).origin;
  server.set('trust proxy', config.TRUSTED_PROXIES.length > 0 ? config.TRUSTED_PROXIES : false);

  server.use((req: Request, res: Response, next: NextFunction) => {
    if (postsOwnForm(req.method, req.path)) {
      const refusal = crossSiteRefusal(req, publicOrigin);
      if (refusal) return refuse(req, res, { statusCode: 403, error: 'Forbidden', message: refusal });
    }
    const scope = limitScopeOf(req.method, req.path);
    if (!scope) return next();
    limits.take(scope, req.ip ?? req.socket.remoteAddress ?? 'unknown').then(
      (verdict) => {
        if (verdict.ok) return next();
        res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
        refuse(req, res, { statusCode: 429, error: 'Too Many Requests', message: `too many requests from this address; try again in ${verdict.retryAfterSeconds} s` });
      },
      (error: unknown) => next(error),
    );
  });
}

/** The API and JSON callers get the error body; people get a page. */
function refuse(req: Request, res: Response, body: ErrorBody): void {
  if (req.path.startsWith('/api/') || wantsJson(req)) sendJson(res, body.statusCode, body);
  else sendPage(res, errorPage(body, undefined, languageOf(req)));
}
