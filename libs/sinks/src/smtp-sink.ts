import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerError, type SMTPServerSession } from 'smtp-server';
import { CountWaiter } from './count-waiter';
import { closeHttpServer, HttpError, jsonHandler, listen, sendJson, urlHost } from './http-util';

/**
 * What a recipient hook returns to refuse an address, e.g. `{ code: 550, message: 'No such user' }`
 * (a 421 also closes the connection, as RFC 5321 says), or 'reset' to drop the connection with a
 * TCP reset instead of answering, as a crashing server or a middlebox would.
 */
export type RecipientFault = { code: number; message: string } | 'reset';

/** Consulted for every RCPT TO; returning a fault makes the sink refuse that recipient. */
export type RecipientHook = (address: string) => RecipientFault | undefined;

/** What the sink knows about a message it has just taken, in both modes. */
export interface ReceivedEnvelope {
  from: string;
  to: string[];
  deliveryId?: string;
}

export interface SmtpSinkOptions {
  /** 0 or undefined picks a free port. */
  smtpPort?: number;
  /** 0 or undefined picks a free port. */
  httpPort?: number;
  host?: string;
  /** false: count messages and recipients only (and scan for the delivery id), for benchmarks. */
  parse?: boolean;
  onRecipient?: RecipientHook;
  /** Told of every message once it is received (before the client hears 250), e.g. for a benchmark's per-recipient timestamps. */
  onMessage?: (message: ReceivedEnvelope) => void;
  /** A server that requires these credentials (535 for any others, 530 without); unset: any or none are fine. */
  credentials?: { user: string; pass: string };
}

export interface SmtpSinkMessage {
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  from: { name: string; address: string } | null;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Every header as received (unfolded, not decoded), keyed by lower-cased name. */
  headers: Record<string, string>;
  /** The message as received (what a DKIM verifier reads); senders encode it to ASCII, so UTF-8 keeps it byte for byte. */
  source: string;
}

export const DELIVERY_ID_HEADER = 'x-clarion-delivery-id';

/** Lets a message in flight finish; idle pooled clients are then told 421 and dropped. */
const CLOSE_GRACE_MS = 200;
/** Count-only mode gives up looking for the end of the header block after this many bytes. */
const HEADER_SCAN_LIMIT = 64 * 1024;
const DELIVERY_ID_LINE = new RegExp(`^${DELIVERY_ID_HEADER}:[ \\t]*(.*)$`, 'im');

/**
 * A real SMTP server that keeps what it receives in memory, plus a small HTTP
 * API so tests and other processes can read it back.
 */
export class SmtpSink {
  private readonly smtp: SMTPServer;
  private readonly http: Server;
  private readonly ports = { smtp: 0, http: 0 };
  private readonly stored: SmtpSinkMessage[] = [];
  private readonly ids: string[] = [];
  private received = 0;
  private recipients = 0;
  private readonly waiter = new CountWaiter('messages', () => this.received);
  private stopping?: Promise<void>;

  private constructor(
    private readonly options: SmtpSinkOptions,
    readonly host: string,
  ) {
    const required = options.credentials;
    this.smtp = new SMTPServer({
      authOptional: !required,
      // Unless credentials are required, any are fine, so a sender configured with a user/password still gets through.
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        if (required && (auth.username !== required.user || auth.password !== required.pass)) {
          return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
        }
        callback(null, { user: auth.username ?? 'anonymous' });
      },
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: CLOSE_GRACE_MS,
      onRcptTo: (address, session, callback) => {
        const fault = this.options.onRecipient?.(address.address);
        if (!fault) return callback();
        // No reply at all: the client learns of it from the socket.
        if (fault === 'reset') return this.reset(session.id);
        const error: SMTPServerError = new Error(fault.message);
        error.responseCode = fault.code;
        callback(error);
      },
      onData: (stream, session, callback) => {
        this.receive(stream, session).then(() => callback(), callback);
      },
    });
    // Clients dropping connections mid-session is normal traffic for a sink, not a reason to crash.
    this.smtp.on('error', () => undefined);
    this.http = createServer(jsonHandler((req, res, url) => this.route(req, res, url)));
  }

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options, options.host ?? '127.0.0.1');
    try {
      sink.ports.smtp = await listen(sink.smtp.server, options.smtpPort ?? 0, sink.host);
      sink.ports.http = await listen(sink.http, options.httpPort ?? 0, sink.host);
      return sink;
    } catch (error) {
      await sink.stop();
      throw error;
    }
  }

  get smtpPort(): number {
    return this.ports.smtp;
  }

  get httpPort(): number {
    return this.ports.http;
  }

  get smtpUrl(): string {
    return `smtp://${urlHost(this.host)}:${this.smtpPort}`;
  }

  get httpUrl(): string {
    return `http://${urlHost(this.host)}:${this.httpPort}`;
  }

  /** Messages received so far (in both modes). */
  get count(): number {
    return this.received;
  }

  /** Accepted recipients summed over all messages. */
  get recipientCount(): number {
    return this.recipients;
  }

  /** Parsed messages, oldest first; always empty in count-only mode. */
  messages(): SmtpSinkMessage[] {
    return [...this.stored];
  }

  /** The X-Clarion-Delivery-Id of every message that had one, in order of arrival, in both modes. */
  deliveryIds(): string[] {
    return [...this.ids];
  }

  waitForCount(count: number, timeoutMs = 10_000): Promise<void> {
    return this.waiter.wait(count, timeoutMs);
  }

  clear(): void {
    this.stored.length = 0;
    this.ids.length = 0;
    this.received = 0;
    this.recipients = 0;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.waiter.cancelAll('the SMTP sink stopped');
      await Promise.all([closeHttpServer(this.http), closeSmtp(this.smtp)]);
    })();
    return this.stopping;
  }

  private async receive(stream: Readable, session: SMTPServerSession): Promise<void> {
    const envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
    };
    let deliveryId: string | undefined;
    if (this.options.parse === false) {
      deliveryId = await scanDeliveryId(stream);
    } else {
      const source = await readAll(stream);
      const message = toSinkMessage(await simpleParser(source), envelope, source.toString('utf8'));
      deliveryId = message.headers[DELIVERY_ID_HEADER];
      this.stored.push(message);
    }
    if (deliveryId !== undefined) this.ids.push(deliveryId);
    this.received += 1;
    this.recipients += envelope.to.length;
    this.options.onMessage?.({ ...envelope, deliveryId });
    this.waiter.notify();
  }

  private reset(sessionId: string): void {
    for (const connection of this.smtp.connections) {
      if (connection.id === sessionId) connection._socket.resetAndDestroy();
    }
  }

  private route(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /health':
        return sendJson(res, 200, { status: 'ok' });
      case 'GET /messages':
        return sendJson(res, 200, this.filter(url.searchParams));
      case 'GET /messages/count':
        return sendJson(res, 200, { count: this.received, recipients: this.recipients });
      case 'DELETE /messages':
        this.clear();
        res.writeHead(204).end();
        return;
      default:
        throw new HttpError(404, `no route for ${route}`);
    }
  }

  private filter(query: URLSearchParams): SmtpSinkMessage[] {
    let messages = this.stored;
    const since = query.get('since');
    if (since) {
      const index = messages.findIndex((message) => message.id === since);
      if (index >= 0) {
        messages = messages.slice(index + 1);
      } else {
        const time = Date.parse(since);
        if (Number.isNaN(time)) throw new HttpError(400, `since must be a message id or an ISO time, got ${since}`);
        messages = messages.filter((message) => Date.parse(message.receivedAt) >= time);
      }
    }
    const to = query.get('to')?.toLowerCase();
    if (to) messages = messages.filter((message) => message.envelope.to.some((address) => address.toLowerCase() === to));
    return messages;
  }
}

async function closeSmtp(smtp: SMTPServer): Promise<void> {
  if (!smtp.server.listening) return;
  // smtp.close() may call back before its sockets are gone; the net server's close event waits for them.
  const closed = once(smtp.server, 'close');
  smtp.close();
  await closed;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toSinkMessage(mail: ParsedMail, envelope: SmtpSinkMessage['envelope'], source: string): SmtpSinkMessage {
  const from = mail.from?.value[0];
  const to = ([] as AddressObject[]).concat(mail.to ?? []).flatMap((group) => group.value.map((entry) => entry.address ?? ''));
  return {
    id: randomUUID(),
    receivedAt: new Date().toISOString(),
    envelope,
    from: from ? { name: from.name, address: from.address ?? '' } : null,
    to,
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    html: mail.html || '',
    headers: rawHeaders(mail),
    source,
  };
}

/** Header values as sent rather than mailparser's structured ones, which is what assertions about headers want. */
function rawHeaders(mail: ParsedMail): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of mail.headerLines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim();
    // Repeated headers (Received, say) are joined the way node:http joins them.
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return headers;
}

/** Reads a message only as far as its header block: parsing every message would be the benchmark's bottleneck. */
function scanDeliveryId(stream: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let head = '';
    let scanning = true;
    stream.on('data', (chunk: Buffer) => {
      if (!scanning) return;
      head += chunk.toString('latin1');
      const end = head.search(/\r?\n\r?\n/);
      if (end >= 0) head = head.slice(0, end);
      scanning = end < 0 && head.length < HEADER_SCAN_LIMIT;
    });
    stream.on('end', () => resolve(DELIVERY_ID_LINE.exec(head)?.[1].trim()));
    stream.on('error', reject);
  });
}
