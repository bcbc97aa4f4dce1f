import { Controller, Get, Param, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { JOIN_JS } from './assets/join-script';
import { SERVICE_WORKER_JS } from './assets/service-worker';
import { PAGES_CSS } from './assets/stylesheet';
import { slug as slugSchema } from '@clarion/contracts';
import { NotFound } from '@clarion/errors';
import { sendAsset } from './page-response';
import { PublicErrorFilter } from './public-error.filter';

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The public pages' only script, style and service worker: same origin, so the CSP needs no exceptions. */
@Controller()
@UseFilters(PublicErrorFilter)
export class AssetsController {
  /**
   * Each organisation's service worker, in its own folder so its scope is the
   * organisation's alone (see pushScopeOf). The same script for every one:
   * it reads its organisation from its scope.
   */
  @Get('join/:slug/sw.js')
  organisationServiceWorker(@Param('slug') slug: string, @Res() res: Response): void {
    if (!slugSchema.safeParse(slug).success) throw new NotFound('no such organisation');
    sendAsset(res, JAVASCRIPT, SERVICE_WORKER_JS, { 'Cache-Control': 'no-cache' });
  }

  /**
   * The single worker of earlier versions (scope `/`): still served, so the
   * browsers that registered it keep showing their notifications.
   */
  @Get('sw.js')
  serviceWorker(@Res() res: Response): void {
    sendAsset(res, JAVASCRIPT, SERVICE_WORKER_JS, { 'Service-Worker-Allowed': '/', 'Cache-Control': 'no-cache' });
  }

  @Get('static/join.js')
  joinScript(@Res() res: Response): void {
    sendAsset(res, JAVASCRIPT, JOIN_JS);
  }

  @Get('static/pages.css')
  stylesheet(@Res() res: Response): void {
    sendAsset(res, 'text/css; charset=utf-8', PAGES_CSS);
  }
}
