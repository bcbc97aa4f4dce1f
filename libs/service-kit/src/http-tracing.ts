import type { IncomingMessage, ServerResponse } from 'node:http';
import { extractContext, inSpan, SpanKind } from '@clarion/observability';

/**
 * Every HTTP request runs in a server span: a child of the caller's
 * traceparent when it sent one, else the root of a new trace. Everything the
 * request causes — its log lines, its NATS requests and the events they lead
 * to — carries that trace.
 */
export function httpTracingMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  // Probes every few seconds are no one's work worth a trace.
  if ((req.url ?? '').startsWith('/health')) return next();
  const parent = extractContext({ get: (key) => req.headers[key] });
  void inSpan(`HTTP ${req.method ?? 'GET'}`, SpanKind.SERVER, parent, (span) => {
    next();
    return new Promise<void>((resolve) => {
      const done = () => {
        const route = (req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string }).route?.path;
        if (typeof route === 'string') span.updateName(`HTTP ${req.method ?? 'GET'} ${(req as { baseUrl?: string }).baseUrl ?? ''}${route}`);
        span.setAttribute('http.response.status_code', res.statusCode);
        resolve();
      };
      res.once('finish', done);
      res.once('close', done);
    });
  });
}
