import type { ErrorBody } from '@clarion/contracts';

/**
 * Errors with a meaning the caller can act on. Services throw these; one
 * filter per transport turns them into `{ statusCode, error, message, field? }`.
 */
export abstract class DomainError extends Error {
  abstract readonly statusCode: number;
  abstract readonly error: string;

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return { statusCode: this.statusCode, error: this.error, message: this.message, ...(this.field ? { field: this.field } : {}) };
  }
}

export class Invalid extends DomainError {
  readonly statusCode = 400;
  readonly error = 'Bad Request';
}

export class Unauthenticated extends DomainError {
  readonly statusCode = 401;
  readonly error = 'Unauthorized';
}

export class Forbidden extends DomainError {
  readonly statusCode = 403;
  readonly error = 'Forbidden';
}

/** Also what a caller gets for a resource outside its tenancy, so existence does not leak. */
export class NotFound extends DomainError {
  readonly statusCode = 404;
  readonly error = 'Not Found';
}

export class Conflict extends DomainError {
  readonly statusCode = 409;
  readonly error = 'Conflict';
}

/** Well-formed but unusable as sent, e.g. an Idempotency-Key already used for a different request (RFC 9110 §15.5.21). */
export class Unprocessable extends DomainError {
  readonly statusCode = 422;
  readonly error = 'Unprocessable Content';
}

export class Unavailable extends DomainError {
  readonly statusCode = 503;
  readonly error = 'Service Unavailable';
}

/** An error reported by another service over NATS, kept with its status and body. */
export class RemoteError extends DomainError {
  readonly statusCode: number;
  readonly error: string;
  constructor(body: ErrorBody) {
    super(body.message, body.field);
    this.statusCode = body.statusCode;
    this.error = body.error;
  }
}
