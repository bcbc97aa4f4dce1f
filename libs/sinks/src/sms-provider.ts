import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CountWaiter } from './count-waiter';
import { closeHttpServer, HttpError, jsonHandler, listen, readBody, sendJson, urlHost } from './http-util';

/**
 * A scripted answer to a send: an HTTP status with Twilio's error body (a `code` such as 21211,
 * 21610, 20429), optionally Retry-After; or 'hang' to never answer until stop().
 */
export type SmsFault = { status: number; code?: number; message?: string; retryAfter?: number } | 'hang';

/** Consulted for every send, by the number it is for; returning a fault answers with it instead. */
export type SmsHook = (to: string) => SmsFault | undefined;

export interface SmsProviderOptions {
  /** 0 or undefined picks a free port. */
  port?: number;
  host?: string;
  /** The account senders must authenticate as (HTTP Basic, sid:token, or an API key); the token also signs replies. */
  accountSid?: string;
  authToken?: string;
  /** API keys (sid SK… → secret) that may authenticate sends besides the account sid and auth token, as Twilio allows. */
  apiKeys?: Record<string, string>;
  /** The provider's own number: the `To` of supporters' replies. */
  number?: string;
  /** Where supporters' replies are posted, signed with X-Twilio-Signature (the installation's inbound webhook). */
  webhookUrl?: string;
  onMessage?: SmsHook;
}

/** A text the provider accepted, as a handset would get it. */
export interface SmsProviderMessage {
  sid: string;
  receivedAt: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
}

/** What the webhook answered a posted reply. */
export interface ReplyAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

export const TEST_ACCOUNT_SID = `AC${'0'.repeat(31)}1`;
export const TEST_AUTH_TOKEN = 'clarion-test-sms-auth-token';

/** Twilio's bound on one message's body (10 concatenated parts). */
const MAX_BODY_CHARACTERS = 1600;
/** A form of a few fields; a sender posting more is doing something else. */
const MAX_REQUEST_BYTES = 64 * 1024;
const E164 = /^\+[1-9]\d{6,14}$/;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
/** What Twilio itself does on these replies, whatever the sender's webhook does (its default opt-out keywords, English only). */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'UNSTOP']);
const REPLY_TIMEOUT_MS = 10_000;

/**
 * A local SMS provider speaking Twilio's Messages API (the shape self-hosted
 * gateways copy), for tests and the demo: it keeps the texts it accepts, can
 * refuse on cue, and plays the supporter's handset by posting replies (STOP)
 * to the inbound webhook, signed as Twilio signs them. Like Twilio, it
 * refuses sends to a number that replied STOP (21610) until it replies START.
 */
export class SmsProvider {
  private readonly http: Server;
  private boundPort = 0;
  private readonly stored: SmsProviderMessage[] = [];
  private readonly optedOut = new Set<string>();
  private readonly waiter = new CountWaiter('text messages', () => this.stored.length);
  private stopping?: Promise<void>;
  readonly accountSid: string;
  readonly authToken: string;
  readonly number: string;
  /** The last reply posted, exactly as sent: a test replays it (the same MessageSid and signature). */
  lastReply?: { url: string; signature: string; body: string };

  private constructor(
    private readonly options: SmsProviderOptions,
    readonly host: string,
  ) {
    this.accountSid = options.accountSid ?? TEST_ACCOUNT_SID;
    this.authToken = options.authToken ?? TEST_AUTH_TOKEN;
    this.number = options.number ?? '+15005550006';
    this.http = createServer(jsonHandler((req, res, url) => this.route(req, res, url)));
  }

  static async start(options: SmsProviderOptions = {}): Promise<SmsProvider> {
    const provider = new SmsProvider(options, options.host ?? '127.0.0.1');
    provider.boundPort = await listen(provider.http, options.port ?? 0, provider.host);
    return provider;
  }

  get port(): number {
    return this.boundPort;
  }

  /** The base URL a sender is configured with, as https://api.twilio.com would be. */
  get httpUrl(): string {
    return `http://${urlHost(this.host)}:${this.port}`;
  }

  /** Texts accepted so far. */
  get count(): number {
    return this.stored.length;
  }

  /** Accepted texts, oldest first, optionally to one number. */
  messages(to?: string): SmsProviderMessage[] {
    return this.stored.filter((message) => to === undefined || message.to === to);
  }

  waitForCount(count: number, timeoutMs = 10_000): Promise<void> {
    return this.waiter.wait(count, timeoutMs);
  }

  /** Forgets texts; opted-out numbers stay opted out. */
  clear(): void {
    this.stored.length = 0;
  }

  /**
   * The handset `from` texts `body` to the provider's number: posted to the webhook as Twilio
   * posts an incoming message, signed with the auth token. STOP and START also change what the
   * provider itself lets through, as Twilio's default opt-out handling does.
   */
  async reply(from: string, body: string, webhookUrl = this.options.webhookUrl): Promise<ReplyAnswer> {
    if (!webhookUrl) throw new Error('the SMS provider has no webhookUrl to post replies to');
    const keyword = body.trim().toUpperCase();
    if (OPT_OUT.has(keyword)) this.optedOut.add(from);
    if (OPT_IN.has(keyword)) this.optedOut.delete(from);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const form = new URLSearchParams({
      ToCountry: 'US',
      SmsMessageSid: sid,
      NumMedia: '0',
      SmsSid: sid,
      SmsStatus: 'received',
      Body: body,
      To: this.number,
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: this.accountSid,
      From: from,
      ApiVersion: '2010-04-01',
    });
    this.lastReply = { url: webhookUrl, signature: signature(this.authToken, webhookUrl, form), body: form.toString() };
    const response = await fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': this.lastReply.signature },
      body: this.lastReply.body,
      signal: AbortSignal.timeout(REPLY_TIMEOUT_MS),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), body: await response.text() };
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.waiter.cancelAll('the SMS provider stopped');
      // Also drops requests held open by a 'hang' fault.
      await closeHttpServer(this.http);
    })();
    return this.stopping;
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const account = MESSAGES_PATH.exec(url.pathname);
    if (account && req.method === 'POST') return this.send(req, res, decodeURIComponent(account[1]));
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /health':
        return sendJson(res, 200, { status: 'ok' });
      case 'GET /messages':
        return sendJson(res, 200, this.messages(url.searchParams.get('to') ?? undefined));
      case 'GET /messages/count':
        return sendJson(res, 200, { count: this.count });
      case 'DELETE /messages':
        this.clear();
        res.writeHead(204).end();
        return;
      case 'POST /replies': {
        const { from, body } = await readReply(req);
        return sendJson(res, 200, await this.reply(from, body));
      }
      default:
        throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
    }
  }

  private async send(req: IncomingMessage, res: ServerResponse, accountSid: string): Promise<void> {
    if (accountSid !== this.accountSid || !this.authenticated(req.headers.authorization)) {
      return twilioError(res, 401, 20003, 'Authentication Error - invalid username', { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
    const raw = await readBody(req, MAX_REQUEST_BYTES);
    const form = contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(raw.toString('utf8')) : new URLSearchParams();
    const to = form.get('To');
    const from = form.get('From');
    const messagingServiceSid = form.get('MessagingServiceSid');
    const body = form.get('Body');
    if (!to) return twilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) return twilioError(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !messagingServiceSid) return twilioError(res, 400, 21603, "A 'From' phone number is required.");
    if (!body) return twilioError(res, 400, 21602, 'Message body is required.');
    if (Array.from(body).length > MAX_BODY_CHARACTERS) return twilioError(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (this.optedOut.has(to)) return twilioError(res, 400, 21610, 'Attempt to send to unsubscribed recipient');

    const fault = this.options.onMessage?.(to);
    if (fault === 'hang') return;
    if (fault) {
      return twilioError(res, fault.status, fault.code ?? fault.status, fault.message ?? 'Scripted failure', fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) });
    }

    const message: SmsProviderMessage = { sid: `SM${randomBytes(16).toString('hex')}`, receivedAt: new Date().toISOString(), to, from, messagingServiceSid, body };
    this.stored.push(message);
    this.waiter.notify();
    sendJson(res, 201, {
      sid: message.sid,
      account_sid: this.accountSid,
      to,
      from: from ?? this.number,
      messaging_service_sid: messagingServiceSid,
      body,
      status: 'queued',
      direction: 'outbound-api',
      date_created: new Date(message.receivedAt).toUTCString(),
      uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${message.sid}.json`,
    });
  }

  private authenticated(header: string | undefined): boolean {
    const given = Buffer.from(header ?? '');
    const pairs = [[this.accountSid, this.authToken], ...Object.entries(this.options.apiKeys ?? {})];
    return pairs.some(([user, secret]) => {
      const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`);
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  }
}

/** Twilio's error answer: `{ code, message, more_info, status }`. */
function twilioError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
}

/** X-Twilio-Signature, computed here on its own rather than by the code under test (see libs/channels/src/sms/twilio-signature.ts). */
function signature(authToken: string, url: string, form: URLSearchParams): string {
  const fields = [...form.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const data = fields.reduce((text, [name, value]) => text + name + value, url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

async function readReply(req: IncomingMessage): Promise<{ from: string; body: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readBody(req, MAX_REQUEST_BYTES)).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body must be JSON like {"from": "+33612345678", "body": "STOP"}');
  }
  const { from, body } = (parsed ?? {}) as { from?: unknown; body?: unknown };
  if (typeof from !== 'string' || !E164.test(from)) throw new HttpError(400, 'from must be a number in E.164, e.g. +33612345678');
  if (typeof body !== 'string') throw new HttpError(400, 'body must be a string');
  return { from, body };
}
