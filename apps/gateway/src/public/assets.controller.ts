import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { JOIN_JS } from './assets/join-script';
import { SERVICE_WORKER_JS } from './assets/service-worker';
import { PAGES_CSS } from './assets/stylesheet';
import { sendAsset } from './page-response';

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The public pages' only script, style and service worker: same origin, so the CSP needs no exceptions. */
@Controller()
export class AssetsController {
  /** At the root, so its scope can be the whole site; the header says so explicitly. */
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
