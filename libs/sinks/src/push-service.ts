import { createECDH, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { decrypt } from 'http_ece';
import { CountWaiter } from './count-waiter';
import { closeHttpServer, HttpError, jsonHandler, listen, readBody, sendJson, urlHost } from './http-util';
import { parseVapidAuthorization, verifyVapid } from './vapid';

/** A scripted answer to a push: a status (e.g. 429 with Retry-After, 503), or 'hang' to never answer until stop(). */
export type PushFault = { status: number; retryAfter?: number } | 'hang';

/** Consulted before a push is handled; returning a fault answers with it instead. */
export type PushHook = (subscriptionId: string) => PushFault | undefined;

export interface PushServiceOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  host?: string;
  /** 'sample': verify the signature and decrypt only every 50th push, and store only those, for benchmarks. */
  decrypt?: 'all' | 'sample';
  onPush?: PushHook;
  /** Told of every push accepted (answered 201), e.g. for a benchmark's per-subscription timestamps. */
  onAccepted?: (subscriptionId: string, label: string | null) => void;
}

/** The browser's PushSubscription.toJSON(), what an application server stores and hands to web-push. */
export interface PushSubscriptionJson {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface CreatedSubscription {
  id: string;
  subscription: PushSubscriptionJson;
}

export type Urgency = 'very-low' | 'low' | 'normal' | 'high';

export interface PushMessage {
  id: string;
  subscriptionId: string;
  /** The label given when the subscription was created, to tell subscribers apart in assertions. */
  label: string | null;
  receivedAt: string;
  ttl: number;
  urgency: Urgency;
  topic: string | null;
  payload: string;
  /** The payload parsed, when it is JSON. */
  json: unknown;
  vapidSubject: string;
  vapidPublicKey: string;
}

interface Subscription {
  id: string;
  label: string | null;
  keys: ECDH;
  auth: string;
  expired: boolean;
}

/** RFC 8030 §7.2: push services must take 4096 bytes of (encrypted) payload and may refuse more with 413. */
const MAX_PAYLOAD_BYTES = 4096;
const SAMPLE_EVERY = 50;
const URGENCIES: readonly string[] = ['very-low', 'low', 'normal', 'high'] satisfies Urgency[];
/** RFC 8030 §5.4: a topic is at most 32 characters of the URL-safe base64 alphabet. */
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A local Web Push service (RFC 8030 with RFC 8291 encryption and RFC 8292 VAPID)
 * that also plays the browser: it creates subscriptions and keeps their private
 * keys, so every push it accepts can be decrypted and read back.
 */
export class PushService {
  private readonly http: Server;
  private boundPort = 0;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly stored: PushMessage[] = [];
  private received = 0;
  private readonly waiter = new CountWaiter('push messages', () => this.received);
  private stopping?: Promise<void>;

  private constructor(
    private readonly options: PushServiceOptions,
    readonly host: string,
  ) {
    this.http = createServer(jsonHandler((req, res, url) => this.route(req, res, url)));
  }

  static async start(options: PushServiceOptions = {}): Promise<PushService> {
    const service = new PushService(options, options.host ?? '127.0.0.1');
    service.boundPort = await listen(service.http, options.port ?? 0, service.host);
    return service;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Also the origin that VAPID tokens must name as their audience. */
  get httpUrl(): string {
    return `http://${urlHost(this.host)}:${this.port}`;
  }

  /** Pushes accepted so far, including the ones sample mode did not store. */
  get count(): number {
    return this.received;
  }

  createSubscription(label?: string): CreatedSubscription {
    const keys = createECDH('prime256v1');
    keys.generateKeys();
    const id = randomUUID();
    const auth = randomBytes(16).toString('base64url');
    this.subscriptions.set(id, { id, label: label ?? null, keys, auth, expired: false });
    return {
      id,
      subscription: {
        endpoint: `${this.httpUrl}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: keys.getPublicKey().toString('base64url'), auth },
      },
    };
  }

  /** Ends a subscription as a browser would on unsubscribe: later pushes to it get 410 Gone. Returns whether it existed. */
  expire(subscriptionId: string): boolean {
    const subscription = this.subscriptions.get(subscriptionId);
    if (subscription) subscription.expired = true;
    return subscription !== undefined;
  }

  /** Stored (decrypted) messages, oldest first, optionally for one subscription. */
  messages(subscriptionId?: string): PushMessage[] {
    return this.stored.filter((message) => subscriptionId === undefined || message.subscriptionId === subscriptionId);
  }

  waitForCount(count: number, timeoutMs = 10_000): Promise<void> {
    return this.waiter.wait(count, timeoutMs);
  }

  /** Forgets messages; subscriptions stay valid. */
  clear(): void {
    this.stored.length = 0;
    this.received = 0;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.waiter.cancelAll('the push service stopped');
      // Also drops requests held open by a 'hang' fault.
      await closeHttpServer(this.http);
    })();
    return this.stopping;
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const resource = /^\/(push|subscriptions|messages)\/([^/]+)$/.exec(url.pathname);
    const id = resource?.[2] ?? '';
    const route = resource && url.pathname !== '/messages/count' ? `${req.method} /${resource[1]}/:id` : `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /health':
        return sendJson(res, 200, { status: 'ok' });
      case 'POST /subscriptions': {
        const { id: created, subscription } = this.createSubscription(await readLabel(req));
        return sendJson(res, 201, subscription, { location: `${this.httpUrl}/subscriptions/${created}` });
      }
      case 'DELETE /subscriptions/:id':
        if (!this.expire(id)) throw new HttpError(404, `no subscription ${id}`);
        res.writeHead(204).end();
        return;
      case 'POST /push/:id':
        return this.push(req, res, id);
      case 'GET /messages':
        return sendJson(res, 200, this.messages(url.searchParams.get('subscription') ?? undefined));
      case 'GET /messages/count':
        return sendJson(res, 200, { count: this.received });
      case 'GET /messages/:id': {
        const message = this.stored.find((stored) => stored.id === id);
        if (!message) throw new HttpError(404, `no stored message ${id}`);
        return sendJson(res, 200, message);
      }
      case 'DELETE /messages':
        this.clear();
        res.writeHead(204).end();
        return;
      default:
        throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
    }
  }

  private async push(req: IncomingMessage, res: ServerResponse, subscriptionId: string): Promise<void> {
    const fault = this.options.onPush?.(subscriptionId);
    if (fault === 'hang') return;
    if (fault) {
      res.writeHead(fault.status, fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }).end();
      return;
    }

    const subscription = this.subscriptions.get(subscriptionId);
    // Real services answer 404 for an unknown endpoint; 410 for both keeps senders' "drop this subscription" path simple to exercise.
    if (!subscription || subscription.expired) throw new HttpError(410, `subscription ${subscriptionId} is gone`);
    const ttl = parseTtl(header(req, 'ttl'));
    const urgency = parseUrgency(header(req, 'urgency'));
    const topic = parseTopic(header(req, 'topic'));
    const body = await readBody(req, MAX_PAYLOAD_BYTES);
    if (body.length > 0 && req.headers['content-encoding']?.toLowerCase() !== 'aes128gcm') {
      throw new HttpError(415, `a payload needs Content-Encoding: aes128gcm, got ${req.headers['content-encoding'] ?? 'none'}`);
    }
    const sampled = this.options.decrypt !== 'sample' || this.received % SAMPLE_EVERY === 0;
    const vapid = verifyVapid(parseVapidAuthorization(req.headers.authorization), { audience: this.httpUrl, checkSignature: sampled });

    const id = randomUUID();
    if (sampled) {
      const payload = decryptPayload(body, subscription);
      this.stored.push({
        id,
        subscriptionId,
        label: subscription.label,
        receivedAt: new Date().toISOString(),
        ttl,
        urgency,
        topic,
        payload,
        json: parseJson(payload),
        vapidSubject: vapid.subject,
        vapidPublicKey: vapid.publicKey,
      });
    }
    this.received += 1;
    this.options.onAccepted?.(subscriptionId, subscription.label);
    this.waiter.notify();
    res.writeHead(201, { location: `${this.httpUrl}/messages/${id}` }).end();
  }
}

async function readLabel(req: IncomingMessage): Promise<string | undefined> {
  const body = await readBody(req, MAX_PAYLOAD_BYTES);
  if (body.length === 0) return undefined;
  const parsed = parseJson(body.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new HttpError(400, 'body must be a JSON object like {"label": "alice"}');
  const { label } = parsed as { label?: unknown };
  if (label !== undefined && typeof label !== 'string') throw new HttpError(400, 'label must be a string');
  return label;
}

/** Node joins repeated headers it does not know into one string; this just narrows the type. */
function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function parseTtl(header: string | undefined): number {
  if (header === undefined || !/^\d+$/.test(header)) throw new HttpError(400, 'TTL header is required: a whole number of seconds, 0 or more');
  return Number(header);
}

function parseUrgency(header: string | undefined): Urgency {
  if (header === undefined) return 'normal';
  if (!URGENCIES.includes(header)) throw new HttpError(400, `Urgency must be one of ${URGENCIES.join(', ')}`);
  return header as Urgency;
}

function parseTopic(header: string | undefined): string | null {
  if (header === undefined) return null;
  if (!TOPIC.test(header)) throw new HttpError(400, 'Topic must be 1 to 32 characters of the base64url alphabet');
  return header;
}

function decryptPayload(body: Buffer, subscription: Subscription): string {
  if (body.length === 0) return '';
  try {
    return decrypt(body, { version: 'aes128gcm', privateKey: subscription.keys, authSecret: subscription.auth }).toString('utf8');
  } catch (error) {
    // A real push service cannot see this; the sink says so because a sender with broken encryption is what tests want to catch.
    throw new HttpError(400, `payload does not decrypt with the subscription's keys: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
