import { randomBytes } from 'node:crypto';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import { encode as quotedPrintable, wrap as softWrapped } from 'nodemailer/lib/qp';

/** One recipient's part of an alert email: everything else is the same for the relay's recipients in one language. */
export interface MimeRecipient {
  to: string;
  /** In angle brackets, as are inReplyTo and references: a plain value is written as given. */
  messageId: string;
  inReplyTo?: string;
  references?: string;
  headers: Record<string, string>;
  text: string;
  html: string;
}

/**
 * A dot-atom at an ASCII host name: written into To as it is, and nodemailer
 * keeps it as it is in the envelope. Anything else (an internationalised
 * address, a quoted local part, a domain literal) is left to nodemailer's
 * own composition, which handles IDN and SMTPUTF8.
 */
const PLAIN_ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Printable ASCII with nothing that reads as an encoded word: a header value nodemailer would write unchanged. */
const PLAIN_VALUE = /^(?:[\x20-\x3c\x3e-\x7e]|=(?!\?))*$/;

const LINE_BREAK = /\r\n|\r|\n/g;

/**
 * An alert email as one ready message (nodemailer's `raw`), so that per
 * recipient only the recipient's headers and the two filled bodies are
 * encoded and joined: building nodemailer's MIME tree for every message and
 * streaming it in small chunks took over a third of delivery's CPU.
 *
 * Made once per sender, subject and relay: From, Subject and the boundary
 * are encoded here, with nodemailer's own functions, as nodemailer encodes
 * them. The bodies are quoted-printable (nodemailer's encoder, lines of at
 * most 76), which no boundary starting with "=_" can occur in (RFC 2045 §6.7).
 */
export class MimeMessage {
  private readonly head: string;
  private readonly textPart: string;
  private readonly htmlPart: string;
  private readonly end: string;
  private date = { second: -1, value: '' };

  constructor(from: { name: string; address: string }, subject: string, relayHeaders: Record<string, string>) {
    const boundary = `=_clarion-${randomBytes(12).toString('hex')}`;
    this.head = headerLine('From', from) + headerLine('Subject', subject);
    const partHeaders = (type: string) => `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
    this.textPart =
      Object.entries(relayHeaders)
        .map(([key, value]) => headerLine(key, value))
        .join('') +
      'MIME-Version: 1.0\r\n' +
      headerLine('Content-Type', `multipart/alternative; boundary="${boundary}"`) +
      '\r\n' +
      partHeaders('text/plain');
    this.htmlPart = `\r\n${partHeaders('text/html')}`;
    this.end = `\r\n--${boundary}--\r\n`;
  }

  /** The whole message with CRLF line endings; undefined for an address to leave to nodemailer's composition. */
  build(recipient: MimeRecipient, now = Date.now()): Buffer | undefined {
    if (!PLAIN_ADDRESS.test(recipient.to)) return undefined;
    let message = `${this.head}To: ${recipient.to}\r\nDate: ${this.dateHeader(now)}\r\n${headerLine('Message-ID', recipient.messageId)}`;
    if (recipient.inReplyTo) message += headerLine('In-Reply-To', recipient.inReplyTo);
    if (recipient.references) message += headerLine('References', recipient.references);
    for (const key in recipient.headers) message += headerLine(key, recipient.headers[key]);
    message += this.textPart + body(recipient.text) + this.htmlPart + body(recipient.html) + this.end;
    return Buffer.from(message);
  }

  /** RFC 5322 dates change once a second: formatted once a second. */
  private dateHeader(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.date.second) this.date = { second, value: new Date(second * 1000).toUTCString().replace(/GMT/, '+0000') };
    return this.date.value;
  }
}

/** As nodemailer writes a header: encoded (RFC 2047, addresses, message ids) unless plain, and folded at 76. */
function headerLine(key: string, value: string | { name: string; address: string }): string {
  const encoded = typeof value === 'string' && PLAIN_VALUE.test(value) ? value : MimeNode.encodeHeaderValue(key, value);
  return `${foldLines(`${key}: ${encoded}`, 76)}\r\n`;
}

function body(text: string): string {
  return softWrapped(quotedPrintable(text.replace(LINE_BREAK, '\r\n')), 76);
}
