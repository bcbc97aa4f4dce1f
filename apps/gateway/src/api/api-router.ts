import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import { errorBodyOf, parseInput } from '@clarion/errors';
import { RpcClient } from '@clarion/messaging';
import { SecretSealer } from '@clarion/security';
import { TokenResolver } from '../auth/token-resolver';
import { ProgressFeed } from '../progress/progress-feed';
import type { ApiRoute } from './api-route';
import { apiRoutes } from './api-routes';

export const API_PREFIX = '/api/v1';

/**
 * Binds the declared routes to the HTTP server: authenticate the bearer
 * token, validate path, query and body (400 naming the field, before anything
 * crosses NATS), call the owning service, answer with its result or its error body.
 * Registered during module init: after Nest's body parsers, before its 404 handler.
 */
@Injectable()
export class ApiRouter implements OnModuleInit {
  private readonly logger = new Logger('Api');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: TokenResolver,
    private readonly rpc: RpcClient,
    private readonly progress: ProgressFeed,
    private readonly sealer: SecretSealer,
  ) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter;
    for (const definition of apiRoutes) {
      server[definition.method](`${API_PREFIX}${definition.path}`, (req: Request, res: Response) => void this.serve(definition, req, res));
    }
  }

  private async serve(definition: ApiRoute, req: Request, res: Response): Promise<void> {
    try {
      const actor = await this.tokens.resolve(req.headers.authorization);
      const params = definition.params ? parseInput(definition.params, req.params) : {};
      const query = definition.query ? parseInput(definition.query, req.query) : {};
      const body = definition.body ? parseInput(definition.body, requestBody(definition, req)) : undefined;
      const headers = definition.headers ? parseInput(definition.headers, requestHeaders(definition.headers, req)) : {};
      const context = { actor, params, query, body, headers, rpc: this.rpc, progress: this.progress, sealer: this.sealer };
      if ('stream' in definition) {
        await definition.stream(context, res);
        return;
      }
      const result = await definition.handle(context);
      res.status(definition.status ?? 200).json(result ?? { ok: true });
    } catch (error) {
      const body = errorBodyOf(error, this.logger);
      if (!res.headersSent) {
        res.status(body.statusCode).json(body);
        return;
      }
      this.logger.warn({ route: definition.path, statusCode: body.statusCode, reason: body.message }, 'stream failed after it started; connection cut');
      res.destroy();
    }
  }
}

/** The declared headers under their canonical names (Node lower-cases them), so an error names `Idempotency-Key`. */
function requestHeaders(schema: NonNullable<ApiRoute['headers']>, req: Request): Record<string, unknown> {
  return Object.fromEntries(Object.keys(schema.shape).map((name) => [name, req.headers[name.toLowerCase()]]));
}

/** A text body (where the route accepts one) is validated as the JSON body carrying it in its field would be. */
function requestBody(definition: ApiRoute, req: Request): unknown {
  const text = definition.bodyOptions?.text;
  if (text && typeof req.body === 'string') return { [text.field]: req.body };
  return req.body ?? {};
}
