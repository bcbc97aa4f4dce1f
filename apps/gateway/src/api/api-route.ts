import type { z } from 'zod';
import type { Principal } from '@clarion/contracts';
import type { RpcClient } from '@clarion/messaging';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  actor: Principal;
  params: P;
  query: Q;
  body: B;
  rpc: RpcClient;
}

/**
 * One REST endpoint, declared once: the router binds it (auth, validation,
 * the NATS call, errors) and the OpenAPI document is generated from it.
 * Authorisation lives in the owning service, which knows the resource's tenancy.
 */
export interface ApiRoute<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: HttpMethod;
  /** Express-style path under /api/v1, e.g. `/organisations/:orgId`. */
  path: string;
  tag: string;
  summary: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** HTTP status on success. */
  status?: number;
  handle(context: RouteContext<P, Q, B>): Promise<unknown>;
}

/** Keeps each route's own parameter types while collecting them in one list. */
export function route<P, Q, B>(definition: ApiRoute<P, Q, B>): ApiRoute {
  return definition as unknown as ApiRoute;
}
