import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { errorBodyOf } from '@clarion/service-kit';
import { errorPage } from './pages/error-page';
import { sendJson, sendPage } from './page-response';
import { languageOf, wantsJson } from './public-request';

/**
 * Errors on public pages become a friendly page with the same status
 * (services answer `{ statusCode, error, message, field? }`, thrown by
 * RpcClient as RemoteError); JSON callers get that body itself.
 */
@Catch()
export class PublicErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('PublicPages');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const body = errorBodyOf(exception, this.logger);
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    if (wantsJson(req)) sendJson(res, body.statusCode, body);
    else sendPage(res, errorPage(body, undefined, languageOf(req)));
  }
}
