import createClient from 'openapi-fetch';
import type { paths } from './schema';

/** Every path of the API the console may call: the type check proves each is in the generated document. */
export type ApiPath = keyof paths;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  path?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Raw text body with its media type (a CSV upload). */
  text?: { mediaType: string; content: string };
  headers?: Record<string, string>;
}

/** An API error body `{ statusCode, error, message, field? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * The CSRF token of the cookie session, in memory only: page script never
 * holds a credential (the session cookie is HttpOnly), see docs/decisions/0027.
 */
const state: { csrfToken?: string } = {};
export const setCsrfToken = (token: string | undefined) => (state.csrfToken = token);

export type Grant =
  | { role: 'admin' }
  | { role: 'coordinator'; coalitionId: string }
  | { role: 'org_admin'; orgId: string }
  | { role: 'org_editor'; orgId: string };

const client = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

/** Headers every call carries: the session's CSRF token on a change (the cookie itself rides along on its own). */
export function authHeaders(method: string): Record<string, string> {
  return method !== 'GET' && state.csrfToken ? { 'X-CSRF-Token': state.csrfToken } : {};
}

/**
 * One API call through the generated client: the path is checked against the
 * OpenAPI document at compile time; an error answer becomes an ApiError
 * naming the field at fault.
 */
export async function call<T>(method: Method, path: ApiPath, options: CallOptions = {}): Promise<T> {
  const query = options.query ? Object.fromEntries(Object.entries(options.query).filter(([, v]) => v !== undefined && v !== '')) : undefined;
  const headers = { ...authHeaders(method), ...options.headers };
  if (options.text) headers['Content-Type'] = options.text.mediaType;
  // openapi-fetch types each call from `paths`; the console's own view types describe the answers until the document does.
  const request = (client as unknown as Record<Method, (p: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>>)[method];
  const init: Record<string, unknown> = { params: { path: options.path, query }, headers };
  if (options.text) {
    init.body = options.text.content;
    init.bodySerializer = (body: string) => body;
  } else if (options.body !== undefined) init.body = options.body;
  else if (method === 'POST' || method === 'PUT' || method === 'PATCH') init.body = {};
  const { data, error, response } = await request(path, init);
  if (!response.ok) {
    const body = (error ?? {}) as { message?: string; field?: string };
    throw new ApiError(response.status, body.message ?? response.statusText, body.field);
  }
  return data as T;
}

/** The URL of a path, for downloads and streams (not through openapi-fetch). */
export function urlOf(path: ApiPath, params: Record<string, string> = {}, query: Record<string, string> = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const search = new URLSearchParams(query).toString();
  return `${filled}${search ? `?${search}` : ''}`;
}
