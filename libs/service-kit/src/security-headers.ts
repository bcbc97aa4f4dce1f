import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import helmet from 'helmet';

/**
 * The policy of everything a service answers unless a route sets its own:
 * JSON and nothing to render, so nothing may load, frame it or post from it.
 * The gateway's public pages and API docs replace it with theirs.
 */
export const API_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
};

/**
 * helmet's headers on every response of every service, set before any route
 * (and so on errors and 404s too): nosniff, a CSP with frame-ancestors,
 * X-Frame-Options DENY (the same for older browsers), no-referrer, same-origin resource and opener policies,
 * HSTS (ignored by browsers over plain http). Express's X-Powered-By is off.
 */
export function mountSecurityHeaders(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  server.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: API_CONTENT_SECURITY_POLICY }, xFrameOptions: { action: 'deny' } }));
}
