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

/**
 * A MongoDB connection string as URL parsing sees it: a replica set's seed
 * list (`mongo-0:27017,mongo-1:27017,…`) is not one host, which WHATWG URLs
 * refuse, so each host is checked on its own and the list stands as one.
 */
function asSingleHostUrl(value: string): URL | undefined {
  const match = /^(mongodb(?:\+srv)?:\/\/)((?:[^@/?]*@)?)([^/?]*)(.*)$/.exec(value);
  if (!match) return undefined;
  const [, scheme, credentials, hostList, rest] = match;
  const hosts = hostList.split(',');
  try {
    if (hosts.some((host) => new URL(`${scheme}${host}`).hostname.length === 0)) return undefined;
    return new URL(`${scheme}${credentials}${hosts[0]}${rest}`);
  } catch {
    return undefined;
  }
}

export const mongoUrl = z
  .string()
  .refine((value) => asSingleHostUrl(value) !== undefined, {
    message: 'must be a mongodb or mongodb+srv URL, e.g. mongodb://127.0.0.1:27017/clarion (a replica set: mongodb://mongo-0:27017,mongo-1:27017,mongo-2:27017/clarion?replicaSet=rs0)',
  })
  .refine((value) => (asSingleHostUrl(value)?.pathname.replace(/^\//, '').length ?? 0) > 0, {
    message: 'must name a database in its path, e.g. mongodb://127.0.0.1:27017/clarion_alerts',
  });

export const smtpUrl = urlWithScheme(['smtp', 'smtps'], 'smtp://127.0.0.1:2525');

export const httpUrl = urlWithScheme(['http', 'https'], 'http://127.0.0.1:3000');

const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Where supporters reach the gateway. Every link in a message starts with
 * it, and RFC 8058 one-click unsubscribe, web push and the browser's secure
 * context all need https. Plain http only for a gateway on this machine
 * (localhost, 127.x.x.x, [::1]): development, `npm start`, the tests. No
 * switch to forget: a public host over http is refused everywhere
 * (docs/decisions/0023).
 */
export const publicBaseUrl = httpUrl.refine(
  (value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || LOOPBACK_HOSTS.test(url.hostname);
  },
  { message: 'must be an https URL (links in messages, RFC 8058 one-click unsubscribe and web push need it); plain http only for a gateway on this machine (localhost, 127.0.0.1, [::1])' },
);

const ALLOW_LIST_FORMAT = 'must be smtp://host:port, smtps://host:port or https://host:port entries separated by commas';

/**
 * OUTBOUND_ALLOW_LIST: SMTP servers and push origins that organisations'
 * settings and supporters' browsers may name although they are on a private
 * address or another port (a relay inside the organisation's network, a
 * self-hosted push service). Each entry is one server: scheme, host, port.
 */
export const outboundAllowList = z.string().transform((value, ctx) => {
  const entries: string[] = [];
  for (const entry of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const fits =
      url !== undefined &&
      ['smtp:', 'smtps:', 'https:'].includes(url.protocol) &&
      url.hostname !== '' &&
      url.username === '' &&
      url.password === '' &&
      (url.pathname === '' || url.pathname === '/') &&
      url.search === '' &&
      url.hash === '';
    if (!fits) {
      ctx.addIssue({ code: 'custom', message: `${ALLOW_LIST_FORMAT}, without a path, query or credentials; "${entry}" is not one` });
      return z.NEVER;
    }
    entries.push(entry);
  }
  return entries;
});

/** SMTP's ports: 25 (relay), 465 (submission over TLS), 587 (submission with STARTTLS), 2525 (the sending providers' alternative). */
export const DEFAULT_SMTP_PORTS: readonly number[] = [25, 465, 587, 2525];

/** SMTP_PORTS: the ports an organisation's SMTP server may be on, comma-separated. */
export const smtpPorts = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
  z
    .array(
      z.coerce
        .number({ message: 'must be port numbers separated by commas, e.g. 25,465,587,2525' })
        .int('must be port numbers separated by commas, e.g. 25,465,587,2525')
        .min(1, 'must be port numbers from 1 to 65535')
        .max(65535, 'must be port numbers from 1 to 65535'),
    )
    .min(1, 'must name at least one port'),
);

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
