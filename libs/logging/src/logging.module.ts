import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { traceFields } from '@clarion/observability';
import { maskLinkTokens, redactPaths } from './redact';

export interface LoggingOptions {
  service: string;
  level: string;
}

/** One JSON line per event (pino), the service name on every line, personal data redacted. */
@Module({})
export class LoggingModule {
  static forRoot({ service, level }: LoggingOptions): DynamicModule {
    return {
      module: LoggingModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level,
            base: { service },
            // The trace id (and span id) of the work a line belongs to, so one alert can be followed through every service's logs.
            mixin: traceFields,
            redact: { paths: redactPaths, censor: '[redacted]' },
            // A caller's correlation id is kept so one request can be followed across services.
            genReqId: (req: IncomingMessage) => {
              const given = req.headers['x-correlation-id'];
              return typeof given === 'string' && given.length <= 128 ? given : randomUUID();
            },
            autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
            // Only what identifies the request; signed link tokens in paths are credentials, so they are masked.
            serializers: {
              req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: maskLinkTokens(req.url ?? '') }),
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
