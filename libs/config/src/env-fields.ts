import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
  )
  .refine((value) => value.split(',').every((part) => !/^[a-z]+:\/\/[^/]*@/i.test(part.trim())), {
    message: 'must not carry a user or password: a service signs in with its NKey (NATS_NKEY_SEED_FILE)',
  });

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

const readable = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** A file holding this service's NKey seed (`SU…`); the value is the seed, read once at start. */
export const nkeySeedFile = z.string().transform((path, ctx) => {
  const text = readable(path);
  if (text === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be a readable file holding this service's NATS NKey seed (SU…); cannot read ${path}` });
    return z.NEVER;
  }
  const seed = text.trim();
  if (!/^SU[A-Z2-7]{56}$/.test(seed)) {
    ctx.addIssue({ code: 'custom', message: `must hold a NATS NKey user seed (SU… , 58 characters); ${path} does not` });
    return z.NEVER;
  }
  return seed;
});

const SERVICES = ['gateway', 'alerts', 'subscriptions', 'delivery'] as const;
const publicKeysSchema = z.strictObject(Object.fromEntries(SERVICES.map((s) => [s, z.string().regex(/^U[A-Z2-7]{55}$/)])) as Record<(typeof SERVICES)[number], z.ZodString>);

/** A JSON file `{ "gateway": "U…", "alerts": "U…", "subscriptions": "U…", "delivery": "U…" }`: every service's public NKey. */
export const busPublicKeysFile = z.string().transform((path, ctx) => {
  const text = readable(path);
  let parsed: unknown;
  try {
    parsed = text === undefined ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const keys = publicKeysSchema.safeParse(parsed);
  if (!keys.success) {
    ctx.addIssue({ code: 'custom', message: `must be a JSON file naming the public NKey (U…) of each of ${SERVICES.join(', ')}; ${path} is not` });
    return z.NEVER;
  }
  return keys.data;
});

/** A file that must exist (a TLS certificate, key or CA). */
export const existingFile = z.string().refine((path) => readable(path) !== undefined, { message: 'must be a readable file' });

const GENERATE_SEALING_KEY = 'openssl genpkey -algorithm X25519 (or let `npm start` make .data/bus/sender-secrets.pem)';

/**
 * A file (mode 600) holding delivery's X25519 private key(s) for opening sender secrets, PEM as
 * `openssl genpkey -algorithm X25519` writes it; during a rotation the new key and the old one(s),
 * one after the other. The value is the file's text, read once at start.
 */
export const sealingKeyFile = z.string({ message: `must name the file holding delivery's X25519 private key for sender secrets, PEM (${GENERATE_SEALING_KEY})` }).transform((path, ctx) => {
  const text = readable(path);
  const problem = (why: string) => {
    ctx.addIssue({ code: 'custom', message: `must be a readable file holding delivery's X25519 private key in PEM (${GENERATE_SEALING_KEY}); ${why}` });
    return z.NEVER;
  };
  if (text === undefined) return problem(`cannot read ${path}`);
  const blocks = text.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g) ?? [];
  if (blocks.length === 0) return problem(`${path} holds no PEM private key`);
  for (const block of blocks) {
    let type: string | undefined;
    try {
      type = createPrivateKey(block).asymmetricKeyType;
    } catch {
      return problem(`${path} holds a private key that cannot be read`);
    }
    if (type !== 'x25519') return problem(`${path} holds a ${type} key, not X25519`);
  }
  return text;
});

const PUBLIC_KEY_FORM =
  "must be delivery's X25519 public key for sender secrets: 43 base64url characters (the launcher keeps it with the bus keys in .data/bus/sender-secrets.pub)";

/** Delivery's X25519 public key for sealing sender secrets: the raw 32 bytes in base64url (43 characters). */
export const sealingPublicKey = z.string({ message: PUBLIC_KEY_FORM }).refine(
  (value) => {
    if (!/^[A-Za-z0-9_-]{43}$/.test(value.trim())) return false;
    try {
      createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: value.trim() }, format: 'jwk' });
      return true;
    } catch {
      return false;
    }
  },
  { message: PUBLIC_KEY_FORM },
).transform((value) => value.trim());
