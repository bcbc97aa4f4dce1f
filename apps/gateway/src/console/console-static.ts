import type { INestApplication } from '@nestjs/common';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the browser consoles live under the gateway's origin. */
export const CONSOLE_PATH = '/console';

/**
 * The consoles' policy: scripts and styles only from this origin's built
 * files, no inline script, requests only to this API. `style-src` also allows
 * inline styles: the email preview shows the HTML a mail client receives,
 * whose styles are inline by necessity; it is rendered in a sandboxed frame
 * (no scripts). The public pages keep their own, stricter policy.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' https: data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The built console (dist/console): next to the compiled gateway when it runs
 * from dist, else under the working directory (npm start, tests from the
 * checkout's root).
 */
export function consoleDirectory(): string | undefined {
  const candidates = [resolve(__dirname, '../../../../console'), resolve(process.cwd(), 'dist/console')];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'index.html')));
}

function consoleHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONSOLE_CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // A sign-in link carries its secret in the fragment, which browsers never send; no Referer either way.
  res.setHeader('Referrer-Policy', 'no-referrer');
}

/**
 * Serves the single-page consoles at /console/: hashed assets cached for a
 * year, every other path under /console/ answered with index.html (the app's
 * router takes it from there), never cached, so a deploy reaches everyone.
 */
export function mountConsole(app: INestApplication, dir = consoleDirectory()): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  // Express matches /console and /console/ alike: only the bare one is sent to the app's root.
  server.get(CONSOLE_PATH, (req: Request, res: Response, next: NextFunction) =>
    req.originalUrl.split('?')[0] === CONSOLE_PATH ? res.redirect(301, `${CONSOLE_PATH}/`) : next(),
  );
  if (!dir) {
    server.use(CONSOLE_PATH, (_req: Request, res: Response) => {
      consoleHeaders(res);
      res.status(503).type('text/plain').send('The console is not built: run `npm run build`.\n');
    });
    return;
  }
  const index = readFileSync(join(dir, 'index.html'));
  server.use(
    CONSOLE_PATH,
    express.static(dir, {
      index: false,
      fallthrough: true,
      setHeaders: (res, path) => {
        consoleHeaders(res as Response);
        res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
    (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      // A missing file with an extension is a 404, not the app: a stale asset must not come back as HTML.
      if (/\.[a-z0-9]+$/i.test(req.path) && !req.path.endsWith('.html')) return next();
      consoleHeaders(res);
      res.setHeader('Cache-Control', 'no-store');
      res.status(200).type('html').send(index);
    },
  );
}
