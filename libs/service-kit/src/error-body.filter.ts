import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { throwError, type Observable } from 'rxjs';
import type { ErrorBody } from '@clarion/contracts';
import { DomainError } from '@clarion/errors';

/**
 * Turns any error into the stable body `{ statusCode, error, message, field? }`,
 * over HTTP (as the response) and over NATS (as the reply's error). Unknown
 * errors are logged with an id and answered generically.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    const body = errorBodyOf(exception, this.logger);
    if (host.getType() === 'rpc') return throwError(() => body);
    const response = host.switchToHttp().getResponse<Response>();
    response.status(body.statusCode).json(body);
  }
}

/** The error body for any thrown value; also used by the gateway's REST router. */
export function errorBodyOf(exception: unknown, logger: Pick<Logger, 'error'>): ErrorBody {
  if (exception instanceof DomainError) return exception.toBody();
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const message =
      typeof response === 'object' && response && 'message' in response ? String((response as { message: unknown }).message) : exception.message;
    if (status >= 500) logger.error({ err: exception, status }, 'request failed');
    // Nest turns body-parser's JSON SyntaxError into a bare BadRequestException before filters see it.
    if (status === 400 && /JSON/.test(message)) return { statusCode: 400, error: 'Bad Request', message: `request body is not valid JSON: ${message}`, field: 'body' };
    return { statusCode: status, error: httpErrorName(status), message };
  }
  const clientError = bodyParserError(exception);
  if (clientError) return clientError;
  const errorId = randomUUID();
  logger.error({ errorId, err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : exception }, 'unexpected error');
  return { statusCode: 500, error: 'Internal Server Error', message: `unexpected error (id ${errorId})` };
}

/** body-parser rejects malformed or oversized bodies with plain errors that carry a 4xx status. */
function bodyParserError(exception: unknown): ErrorBody | undefined {
  if (!(exception instanceof Error) || !('status' in exception) || !('type' in exception)) return undefined;
  const status = Number(exception.status);
  if (!(status >= 400 && status < 500)) return undefined;
  const message = exception.type === 'entity.too.large' ? 'request body is too large' : exception.type === 'entity.parse.failed' ? 'request body is not valid JSON' : exception.message;
  return { statusCode: status, error: httpErrorName(status), message, field: 'body' };
}

function httpErrorName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    503: 'Service Unavailable',
  };
  return names[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
