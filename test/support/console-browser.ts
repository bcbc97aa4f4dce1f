import { http, type JsonResponse } from '@clarion/testing';

let clients = 0;
/** A client address of its own (the gateway trusts X-Forwarded-For from loopback in these tests), so limits never mix. */
export const freshClient = () => `198.51.100.${(++clients % 250) + 1}`;

/** The token of a sign-in link: in the fragment of `/console/sign-in#token=…`. */
export function signInToken(text: string): string | undefined {
  return /\/console\/sign-in#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
}

/**
 * What a browser on the console does with the API: keeps the session cookie
 * it was given, sends its own Origin, and the CSRF token from GET
 * /auth/session on every change.
 */
export class ConsoleBrowser {
  cookie?: string;
  csrfToken?: string;
  readonly client = freshClient();

  constructor(readonly baseUrl: string) {}

  /** POST /auth/sessions with a link's token; keeps the cookie. */
  async signIn(token: string): Promise<JsonResponse> {
    const res = await this.call('POST', '/auth/sessions', { token });
    const setCookie = res.headers.get('set-cookie');
    const value = setCookie && /clarion_session=([^;]*)/.exec(setCookie)?.[1];
    if (res.status === 201 && value) {
      this.cookie = value;
      this.csrfToken = res.body.csrfToken;
    }
    return res;
  }

  call(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: string | null; origin?: string | null; cookie?: string } = {},
  ): Promise<JsonResponse> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.client };
    const cookie = options.cookie ?? this.cookie;
    if (cookie) headers.cookie = `theme=dark; clarion_session=${cookie}`;
    const origin = options.origin === undefined ? this.baseUrl : options.origin;
    if (origin !== null && method !== 'GET') headers.origin = origin;
    const csrf = options.csrf === undefined ? this.csrfToken : options.csrf;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    return http(method, `${this.baseUrl}/api/v1${path}`, { body, headers });
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body: unknown = {}) => this.call('POST', path, body);
  delete = (path: string) => this.call('DELETE', path);
}
