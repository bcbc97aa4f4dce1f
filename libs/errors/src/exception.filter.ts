import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { throwError, type Observable } from 'rxjs';
import type { ErrorBody } from '@clarion/contracts';
import { DomainError } from './domain-errors';

/**
 * Turns any error into the stable body `{ statusCode, error, message, field? }`,
 * over HTTP (as the response) and over NATS (as the reply's error). Unknown
 * errors are logged with an id and answered generically.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    const body = this.toBody(exception);
    if (host.getType() === 'rpc') return throwError(() => body);
    const response = host.switchToHttp().getResponse<Response>();
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) return exception.toBody();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response && 'message' in response ? String((response as { message: unknown }).message) : exception.message;
      if (status >= 500) this.logger.error({ err: exception, status }, 'request failed');
      return { statusCode: status, error: httpErrorName(status), message };
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : exception }, 'unexpected error');
    return { statusCode: 500, error: 'Internal Server Error', message: `unexpected error (id ${errorId})` };
  }
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
    503: 'Service Unavailable',
  };
  return names[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}
