import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { GatewayConfig } from '@clarion/config';
import type { Principal } from '@clarion/contracts';
import { Forbidden, parseInput, Unauthenticated } from '@clarion/errors';
import { errorBodyOf } from '@clarion/service-kit';
import { RpcClient } from '@clarion/messaging';
import { SecretSealer } from '@clarion/security';
import { clearSessionCookie, csrfMatches, isSameOrigin, sessionSecretOf, setSessionCookie } from '../auth/session-cookie';
import { SessionResolver } from '../auth/session-resolver';
import { TokenResolver } from '../auth/token-resolver';
import { GATEWAY_CONFIG } from '../gateway-config';
import { ProgressFeed } from '../progress/progress-feed';
import type { ApiRoute, RouteSession } from './api-route';
import { apiRoutes } from './api-routes';

export const API_PREFIX = '/api/v1';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Binds the declared routes to the HTTP server: authenticate the bearer
 * token or the console session (with its CSRF check), validate path, query and body (400 naming the field, before anything
 * crosses NATS), call the owning service, answer with its result or its error body.
 * Registered during module init: after Nest's body parsers, before its 404 handler.
 */
@Injectable()
export class ApiRouter implements OnModuleInit {
  private readonly logger = new Logger('Api');
  private readonly publicOrigin: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly tokens: TokenResolver,
    private readonly sessions: SessionResolver,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly rpc: RpcClient,
    private readonly progress: ProgressFeed,
    private readonly sealer: SecretSealer,
  ) {
    this.publicOrigin = new URL(config.PUBLIC_BASE_URL).origin;
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter;
    for (const definition of apiRoutes) {
      server[definition.method](`${API_PREFIX}${definition.path}`, (req: Request, res: Response) => void this.serve(definition, req, res));
    }
  }

  private async serve(definition: ApiRoute, req: Request, res: Response): Promise<void> {
    try {
      const { actor, session } = await this.authenticate(definition, req);
      const params = definition.params ? parseInput(definition.params, req.params) : {};
      const query = definition.query ? parseInput(definition.query, req.query) : {};
      const body = definition.body ? parseInput(definition.body, requestBody(definition, req)) : undefined;
      const headers = definition.headers ? parseInput(definition.headers, requestHeaders(definition.headers, req)) : {};
      const cookie = { set: (secret: string, expiresAt: Date) => setSessionCookie(res, secret, expiresAt), clear: () => clearSessionCookie(res) };
      const context = { actor, session, cookie, sessions: this.sessions, params, query, body, headers, rpc: this.rpc, progress: this.progress, sealer: this.sealer, config: this.config };
      if ('stream' in definition) {
        await definition.stream(context, res);
        return;
      }
      const result = await definition.handle(context);
      const status = definition.status ?? 200;
      if (status === 204) res.status(204).end();
      else res.status(status).json(result ?? { ok: true });
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

  /**
   * Who the request acts as. A bearer token, as ever (browsers never add one
   * by themselves, so no CSRF check). Else the session cookie: a change
   * (POST, PUT, PATCH, DELETE) must come from our own origin and carry the
   * session's CSRF token in X-CSRF-Token, or it is refused (403) before
   * anything is validated or asked.
   */
  private async authenticate(definition: ApiRoute, req: Request): Promise<{ actor: Principal; session?: RouteSession }> {
    const mode = definition.authentication ?? 'principal';
    const unsafe = !SAFE_METHODS.has(req.method);
    if (mode === 'public') {
      // Sign-in forms are ours: a browser request another site starts is refused (no login CSRF).
      if (unsafe && req.get('origin') !== undefined && !isSameOrigin(req, this.publicOrigin)) throw new Forbidden('a request from another site is refused here', 'origin');
      // Public routes never read the actor.
      return { actor: undefined as unknown as Principal };
    }
    if (req.headers.authorization !== undefined && mode === 'principal') return { actor: await this.tokens.resolve(req.headers.authorization) };
    const secret = sessionSecretOf(req);
    if (!secret) {
      if (mode === 'session') throw new Unauthenticated('not signed in: sign in to the console first', 'cookie');
      return { actor: await this.tokens.resolve(req.headers.authorization) };
    }
    if (unsafe) {
      if (!isSameOrigin(req, this.publicOrigin)) throw new Forbidden('a signed-in change must come from the console’s own origin', 'origin');
      if (!csrfMatches(secret, req.get('x-csrf-token'))) throw new Forbidden('send the session’s csrfToken (GET /auth/session) in X-CSRF-Token', 'X-CSRF-Token');
    }
    const resolved = await this.sessions.resolve(secret);
    return { actor: resolved.principal, session: { secret, sessionId: resolved.sessionId } };
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
