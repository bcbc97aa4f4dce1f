import type { INestApplication } from '@nestjs/common';
import { json, text, type Express, type RequestHandler } from 'express';
import { API_PREFIX } from './api-router';
import { apiRoutes } from './api-routes';

/**
 * Routes with their own body options get their own parsers, registered
 * before Nest's global ones (JSON up to 100 kB): those see the body already
 * parsed and step aside, so the larger limit applies to these routes only.
 * Runs before `app.init()`, which is when Nest installs its parsers.
 */
export function mountRouteBodyParsers(app: INestApplication): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  for (const definition of apiRoutes) {
    const options = definition.bodyOptions;
    if (!options) continue;
    const parsers: RequestHandler[] = [json({ limit: options.limit })];
    if (options.text) parsers.push(text({ type: options.text.mediaTypes, limit: options.limit }));
    // A route layer (not app.use), so Nest's check for an installed `jsonParser` middleware still finds none and adds its own.
    server[definition.method](`${API_PREFIX}${definition.path}`, ...parsers);
  }
}
