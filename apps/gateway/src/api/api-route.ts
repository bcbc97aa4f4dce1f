import type { Response } from 'express';
import type { z } from 'zod';
import type { Principal } from '@clarion/contracts';
import type { RpcClient } from '@clarion/messaging';
import type { ProgressFeed } from '../progress/progress-feed';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  actor: Principal;
  params: P;
  query: Q;
  body: B;
  rpc: RpcClient;
  /** Delivery's live counters, for the Server-Sent Events routes. */
  progress: ProgressFeed;
}

/** A body bigger than the default 100 kB JSON, optionally also as raw text (e.g. a CSV upload). */
export interface BodyOptions {
  /** Largest accepted body, in body-parser's notation (e.g. `5mb`); larger ones answer 413. */
  limit: string;
  /** Text media types also accepted; the text is validated as the JSON body `{ [field]: text }` would be. */
  text?: { mediaTypes: string[]; field: string };
}

interface RouteDefinition<P, Q, B> {
  method: HttpMethod;
  /** Express-style path under /api/v1, e.g. `/organisations/:orgId`. */
  path: string;
  tag: string;
  summary: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  bodyOptions?: BodyOptions;
}

/** Answers one JSON document: the service's result, or its error body. */
export interface JsonRoute<P, Q, B> extends RouteDefinition<P, Q, B> {
  /** HTTP status on success. */
  status?: number;
  handle(context: RouteContext<P, Q, B>): Promise<unknown>;
}

/**
 * Writes the response itself, as it goes (an export, an event stream). An
 * error thrown before anything is written still answers with its status and
 * error body; after that, the connection is cut so a client never mistakes
 * a partial response for a whole one.
 */
export interface StreamRoute<P, Q, B> extends RouteDefinition<P, Q, B> {
  /** Media types of the success response, for the OpenAPI document. */
  produces: string[];
  stream(context: RouteContext<P, Q, B>, res: Response): Promise<void>;
}

/**
 * One REST endpoint, declared once: the router binds it (auth, validation,
 * the NATS call, errors) and the OpenAPI document is generated from it.
 * Authorisation lives in the owning service, which knows the resource's tenancy.
 */
export type ApiRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> = JsonRoute<P, Q, B> | StreamRoute<P, Q, B>;

/** Keeps each route's own parameter types while collecting them in one list. */
export function route<P, Q, B>(definition: ApiRoute<P, Q, B>): ApiRoute {
  return definition as unknown as ApiRoute;
}
