import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { BasicTracerProvider, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { randomBytes } from 'node:crypto';

export { SpanKind };

export interface TracingOptions {
  service: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: spans go to `<endpoint>/v1/traces` (OTLP/HTTP, JSON). Unset: no spans are recorded. */
  otlpEndpoint?: string;
  /** Tests: an in-memory exporter, each span handed over as it ends. */
  exporter?: SpanExporter;
}

let provider: BasicTracerProvider | undefined;
let contextReady = false;

/**
 * Trace context always travels (W3C traceparent in HTTP and NATS headers,
 * the trace id in every log line); spans are recorded and exported only when
 * an exporter is configured. Off, a hop costs one context switch and a header:
 * no span objects, no exporter, no timers.
 */
export async function startTracing(options: TracingOptions): Promise<{ shutdown(): Promise<void> }> {
  if (!contextReady) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    contextReady = true;
  }
  if (!provider && (options.otlpEndpoint || options.exporter)) {
    // Loaded only when spans are recorded: the SDK and its OTLP exporter are about 500 modules, a fifth of a
    // service's start, which every start paid although most installations record none.
    const sdk = await import('@opentelemetry/sdk-trace-base');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const processor = options.exporter
      ? new sdk.SimpleSpanProcessor(options.exporter)
      : new sdk.BatchSpanProcessor(
          new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: `${options.otlpEndpoint!.replace(/\/+$/, '')}/v1/traces`, timeoutMillis: 10_000 }),
        );
    provider = new sdk.BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.service }), spanProcessors: [processor] });
    trace.setGlobalTracerProvider(provider);
  }
  return { shutdown: async () => provider?.shutdown() };
}

const tracer = () => trace.getTracer('clarion');

/** Where a message's trace context sits: NATS headers (MsgHdrs) or an HTTP request's headers. */
interface HeaderReader {
  get(key: string): string | string[] | undefined;
}

const natsGetter: TextMapGetter<HeaderReader | undefined> = {
  keys: () => ['traceparent', 'tracestate'],
  get: (carrier, key) => {
    const value = carrier?.get(key);
    return value === '' ? undefined : value;
  },
};

/** The context a message or request carries (its traceparent), or none. */
export function extractContext(headers: HeaderReader | undefined): Context {
  if (!headers) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, natsGetter);
}

interface HeaderWriter {
  set(key: string, value: string): void;
}
const setter: TextMapSetter<HeaderWriter> = { set: (carrier, key, value) => carrier.set(key, value) };

/** Writes the active trace context (traceparent, tracestate) into outgoing headers. */
export function injectContext(headers: HeaderWriter): void {
  propagation.inject(context.active(), headers, setter);
}

/**
 * Runs `work` inside a span that is a child of `parent`. With tracing off the
 * span records nothing but carries the parent's ids, and a trace starts here
 * (random ids) when the parent has none, so the logs of the work still share one trace id.
 */
export async function inSpan<T>(name: string, kind: SpanKind, parent: Context, work: (span: Span) => Promise<T>): Promise<T> {
  let span = tracer().startSpan(name, { kind }, parent);
  if (!span.isRecording() && !trace.isSpanContextValid(span.spanContext())) {
    span = trace.wrapSpanContext({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.NONE });
  }
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

/** The active trace's ids for a log line, or nothing outside any traced work. */
export function traceFields(): { traceId: string; spanId: string } | Record<string, never> {
  const span = trace.getSpanContext(context.active());
  return span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : {};
}
