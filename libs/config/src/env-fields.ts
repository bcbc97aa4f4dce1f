import { z } from 'zod';

/** Zod fields shared by the service schemas; each names what it accepts so a bad value explains itself. */

function urlWithScheme(schemes: string[], example: string) {
  return z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { message: `must be a ${schemes.join(' or ')} URL, e.g. ${example}` },
  );
}

/** A comma-separated list of NATS server URLs (a cluster is given as several). */
export const natsUrl = z
  .string()
  .refine(
    (value) => value.split(',').every((part) => urlWithScheme(['nats', 'tls'], 'nats://127.0.0.1:4222').safeParse(part.trim()).success),
    { message: 'must be one or more nats:// URLs separated by commas, e.g. nats://127.0.0.1:4222' },
  );

export const mongoUrl = urlWithScheme(['mongodb', 'mongodb+srv'], 'mongodb://127.0.0.1:27017/clarion').refine(
  (value) => new URL(value).pathname.replace(/^\//, '').length > 0,
  { message: 'must name a database in its path, e.g. mongodb://127.0.0.1:27017/clarion_alerts' },
);

export const smtpUrl = urlWithScheme(['smtp', 'smtps'], 'smtp://127.0.0.1:2525');

export const httpUrl = urlWithScheme(['http', 'https'], 'http://127.0.0.1:3000');

export const port = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

export const positiveMs = z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive('must be positive');

/** Comma-separated milliseconds, e.g. `1000,15000,60000`. */
export const msList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()) : value),
  z.array(positiveMs).min(1, 'must name at least one delay').max(10, 'must name at most 10 delays'),
);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'must be one of fatal, error, warn, info, debug, trace, silent',
});
