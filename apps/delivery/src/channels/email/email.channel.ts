import { setMaxListeners } from 'node:events';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type SMTPPoolSentMessageInfo, type SMTPPoolOptions, type Transporter } from 'nodemailer';
import type { DeliveryConfig } from '@clarion/config';
import { OutboundRules, type SmtpServer } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import type { DkimSigning } from '../../sender-identity/sender-identity';
import type { ChannelAdapter, SendOutcome } from '../channel';
import { emailOutcome } from './email-outcome';

/** Where and how a message goes, whichever way it was put together. */
interface EmailSending {
  /** The organisation's own SMTP server; the network's (SMTP_URL) when absent. */
  smtpUrl?: string;
  /** Signs the message as the organisation's domain (nodemailer's own DKIM signing, per message). */
  dkim?: DkimSigning;
  /** The backstop deadline (EmailChannel.deadline()); one signal serves a whole batch of messages. */
  deadline: AbortSignal;
}

/** A message for nodemailer to compose. */
export interface EmailMessage extends EmailSending {
  from: { name: string; address: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** A stable Message-ID lets receiving systems drop a copy that a crash made us send twice. */
  messageId?: string;
  /** A follow-up threads under the original's Message-ID (RFC 5322 §3.6.4). */
  inReplyTo?: string;
  references?: string;
}

/** A message already put together (mime-message.ts), sent as it is: nodemailer's `raw` option. */
export interface RawEmailMessage extends EmailSending {
  envelope: { from: string; to: string };
  raw: Buffer;
  /** The message's own Message-ID, so nodemailer has no need to make one up for its logs and answer. */
  messageId: string;
}

const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;
/**
 * Backstop over the socket timeouts, which a server trickling its replies
 * never trips; includes the wait for a pooled connection. Per batch, not per
 * message: a timer and signal per message cost about 4% of delivery's CPU.
 */
const SEND_DEADLINE_MS = 120_000;

type PooledTransport = Transporter<SMTPPoolSentMessageInfo, SMTPPoolOptions>;

/**
 * Email through nodemailer, one connection pool per SMTP server (the
 * network's, and each organisation's own). The network's server is the
 * operator's (SMTP_URL) and used as given. An organisation's is someone
 * else's word: its URL must pass OutboundRules, nodemailer never reads it
 * (its query could name a proxy or TLS switches), and every connection is
 * opened by OutboundRules.connectSmtp to an address checked at that moment.
 */
@Injectable()
export class EmailChannel implements ChannelAdapter<EmailMessage | RawEmailMessage>, OnApplicationShutdown {
  private readonly pools = new Map<string, PooledTransport>();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
    private readonly outbound: OutboundRules,
  ) {}

  /** A deadline for the messages of one batch, to pass in each of them. */
  deadline(): AbortSignal {
    const signal = AbortSignal.timeout(SEND_DEADLINE_MS);
    // Each message in flight listens to it twice (nodemailer's mailer and pool, removed when it is done); past
    // Node's default of 10, a warning would be logged for every batch.
    setMaxListeners(2 * this.config.SEND_CONCURRENCY + 10, signal);
    return signal;
  }

  async send({ smtpUrl, deadline, ...mail }: EmailMessage | RawEmailMessage): Promise<SendOutcome> {
    let pool: PooledTransport;
    if (smtpUrl === undefined) {
      pool = this.pool('network', () => ({ url: this.config.SMTP_URL }));
    } else {
      const verdict = this.outbound.smtpServer(smtpUrl);
      // The organisation's settings, not this recipient, are at fault: retried (they may be fixed meanwhile), never suppressed.
      if (!verdict.ok) return { kind: 'retry', reason: verdict.reason };
      // Keyed apart from the network's pool, so a URL equal to SMTP_URL still goes through the checks.
      pool = this.pool(`organisation ${smtpUrl}`, () => this.organisationServer(smtpUrl, verdict.server, verdict.allowListed));
    }
    try {
      await pool.sendMail({ ...mail, signal: deadline });
      return { kind: 'sent' };
    } catch (error) {
      return emailOutcome(error);
    }
  }

  /** After the consumers drained (onModuleDestroy), so no send is cut short. */
  onApplicationShutdown(): void {
    for (const pool of this.pools.values()) pool.close();
    this.pools.clear();
  }

  private pool(key: string, server: () => SMTPPoolOptions): PooledTransport {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = createTransport({
        pool: true,
        ...server(),
        maxConnections: this.config.SMTP_POOL_SIZE,
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        greetingTimeout: GREETING_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
        logger: false,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** The server's host, port and credentials taken from the URL here; each connection made by OutboundRules. */
  private organisationServer(url: string, server: SmtpServer, allowListed: boolean): SMTPPoolOptions {
    const { username, password } = new URL(url);
    return {
      host: server.host,
      port: server.port,
      secure: server.secure,
      ...(username ? { auth: { user: percentDecoded(username), pass: percentDecoded(password) } } : {}),
      getSocket: (_options, callback) => {
        this.outbound.connectSmtp(server, allowListed, CONNECTION_TIMEOUT_MS).then(
          (connection) => callback(null, { connection }),
          (error: Error) => callback(error),
        );
      },
    };
  }
}

/** As nodemailer reads a URL's user and password; a stray `%` is taken literally. */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
