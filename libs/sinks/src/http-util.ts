import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';

/** Thrown inside a route to answer with that status and a JSON `{ error }` body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads the whole request body, refusing more than `limit` bytes so a runaway client cannot exhaust memory. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Wraps a route function so a thrown HttpError becomes its status and anything else a 500, never a crash. */
export function jsonHandler(route: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://sink');
    Promise.resolve()
      .then(() => route(req, res, url))
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const status = error instanceof HttpError ? error.status : 500;
        sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
      });
  };
}

/** Listens and returns the bound port, which is the point of passing 0. Rejects on EADDRINUSE and the like. */
export async function listen(server: NetServer, port: number, host: string): Promise<number> {
  const listening = once(server, 'listening');
  server.listen(port, host);
  await listening;
  return (server.address() as AddressInfo).port;
}

/** Closes an http server without waiting for keep-alive clients to go away on their own. */
export async function closeHttpServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections?.();
  await closed;
}

/** The host to put in URLs: a wildcard bind is reachable on loopback, and IPv6 literals need brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
