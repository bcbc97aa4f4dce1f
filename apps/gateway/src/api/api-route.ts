import type { Response } from 'express';
import type { GatewayConfig } from '@clarion/config';
import type { z } from 'zod';
import type { Principal } from '@clarion/contracts';
import type { RpcClient } from '@clarion/messaging';
import type { SecretSealer } from '@clarion/security';
import type { ProgressFeed } from '../progress/progress-feed';
import type { SessionResolver } from '../auth/session-resolver';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The console session a request came with (cookie-authenticated routes and `authentication: 'session'`). */
export interface RouteSession {
  /** The cookie's secret: the CSRF token derives from it. */
  secret: string;
  sessionId: string;
}

/** The session cookie, for the sign-in routes that set or clear it. */
export interface SessionCookie {
  set(secret: string, expiresAt: Date): void;
  clear(): void;
}

export interface RouteContext<P, Q, B, H = Record<string, unknown>> {
  /** Who is calling (an API token or a console session); absent only on `authentication: 'public'` routes. */
  actor: Principal;
  session?: RouteSession;
  cookie: SessionCookie;
  sessions: SessionResolver;
  params: P;
  query: Q;
  body: B;
  /** The request headers the route declares, by their canonical names (e.g. `Idempotency-Key`). */
  headers: H;
  rpc: RpcClient;
  /** Delivery's live counters, for the Server-Sent Events routes. */
  progress: ProgressFeed;
  /** Seals a sender secret (an SMTP password) to delivery's key before it leaves the gateway. */
  sealer: SecretSealer;
  /** The gateway's validated settings (the channels' intake rules, e.g. SMS_DEFAULT_REGION). */
  config: GatewayConfig;
}

/** A body bigger than the default 100 kB JSON, optionally also as raw text (e.g. a CSV upload). */
export interface BodyOptions {
  /** Largest accepted body, in body-parser's notation (e.g. `5mb`); larger ones answer 413. */
  limit: string;
  /** Text media types also accepted; the text is validated as the JSON body `{ [field]: text }` would be. */
  text?: { mediaTypes: string[]; field: string };
}

/**
 * Who may call a route: anyone with an API token or a console session (the
 * default); only a console session (the session's own routes); or anyone
 * (sign-in, counted as a public write).
 */
export type RouteAuthentication = 'principal' | 'session' | 'public';

interface RouteDefinition<P, Q, B, H> {
  method: HttpMethod;
  authentication?: RouteAuthentication;
  /** Express-style path under /api/v1, e.g. `/organisations/:orgId`. */
  path: string;
  /**
   * Unique, camelCase, verb first (`createAlert`, `listOrganisationRelays`): the
   * OpenAPI operationId, and so the name a generated client gives the call.
   */
  operationId: string;
  tag: string;
  summary: string;
  /** Longer notes for the OpenAPI document (Markdown): what a caller should know beyond the summary. */
  description?: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * Request headers the route reads, keyed by canonical name; validated like
   * the body (400 naming the header) and documented as header parameters.
   */
  headers?: z.ZodObject & z.ZodType<H>;
  bodyOptions?: BodyOptions;
  /**
   * The success body: for a JsonRoute, what `handle` answers (reuse the contracts'
   * `*View` reply schemas); for a StreamRoute, the `application/json` it may write.
   * Documented in OpenAPI, so the generated client is typed by it.
   */
  response?: z.ZodType;
  /** Error statuses this route answers besides the ones every route may (400, 401, 403, 404, 409, 503). */
  moreErrors?: number[];
}

/** Answers one JSON document: the service's result, or its error body. */
export interface JsonRoute<P, Q, B, H> extends RouteDefinition<P, Q, B, H> {
  /** HTTP status on success. */
  status?: number;
  handle(context: RouteContext<P, Q, B, H>): Promise<unknown>;
}

/**
 * Writes the response itself, as it goes (an export, an event stream). An
 * error thrown before anything is written still answers with its status and
 * error body; after that, the connection is cut so a client never mistakes
 * a partial response for a whole one.
 */
export interface StreamRoute<P, Q, B, H> extends RouteDefinition<P, Q, B, H> {
  /** Media types of the success response, for the OpenAPI document. */
  produces: string[];
  stream(context: RouteContext<P, Q, B, H>, res: Response): Promise<void>;
}

/**
 * One REST endpoint, declared once: the router binds it (auth, validation,
 * the NATS call, errors) and the OpenAPI document is generated from it.
 * Authorisation lives in the owning service, which knows the resource's tenancy.
 */
export type ApiRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown, H = Record<string, unknown>> =
  | JsonRoute<P, Q, B, H>
  | StreamRoute<P, Q, B, H>;

/** Keeps each route's own parameter types while collecting them in one list. */
export function route<P, Q, B, H = Record<string, unknown>>(definition: ApiRoute<P, Q, B, H>): ApiRoute {
  return definition as unknown as ApiRoute;
}
