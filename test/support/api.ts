import { http, type JsonResponse } from '@clarion/testing';

/** The REST API as one caller (one token) sees it. */
export class Api {
  constructor(
    private readonly baseUrl: string,
    readonly token: string | undefined,
  ) {}

  as(token: string): Api {
    return new Api(this.baseUrl, token);
  }

  get = (path: string) => this.call('GET', path);
  post = (path: string, body: unknown = {}) => this.call('POST', path, body);
  patch = (path: string, body: unknown) => this.call('PATCH', path, body);
  delete = (path: string) => this.call('DELETE', path);

  call(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    return http(method, `${this.baseUrl}/api/v1${path}`, { body, token: this.token });
  }
}

/** Asserts a status, showing the body when it differs (a bare status mismatch explains nothing). */
export function expectStatus(res: JsonResponse, status: number): JsonResponse {
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res;
}

/** The first wait between probes, and the longest: each wait is half as long again as the one before. */
const FIRST_PROBE_WAIT_MS = 100;
const LONGEST_PROBE_WAIT_MS = 500;

/**
 * Probes until the answer is there, within `timeoutMs`. Most probes ask the API or a database: on a loaded CI
 * machine, where a wait lasts seconds, probing every 100 ms throughout spent the CPU the services needed to get
 * there; the waits lengthen to half a second.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let waitMs = FIRST_PROBE_WAIT_MS; ; waitMs = Math.min(LONGEST_PROBE_WAIT_MS, waitMs * 1.5)) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, waitMs));
  }
}
