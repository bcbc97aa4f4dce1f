import { createVerify, X509Certificate, type KeyObject } from 'node:crypto';
import { get } from 'node:https';
import { z } from 'zod';

/** An SNS message as SNS POSTs it (https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html). */
export const snsMessageSchema = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(200),
  TopicArn: z.string().min(1).max(300),
  Message: z.string().max(256 * 1024),
  Timestamp: z.string().min(1).max(50),
  SignatureVersion: z.string().max(5),
  Signature: z.string().min(1).max(2_000),
  SigningCertURL: z.string().min(1).max(2_000),
  Subject: z.string().max(200).optional(),
  SubscribeURL: z.string().max(2_000).optional(),
  Token: z.string().max(2_000).optional(),
});
export type SnsMessage = z.infer<typeof snsMessageSchema>;

/** Why a message was not believed: answered 403, and nothing changes. */
export class SnsRejected extends Error {}

/** Downloads a certificate (PEM); rejects past the timeout. A seam for the unit tests. */
export type CertificateFetcher = (url: URL, timeoutMs: number) => Promise<string>;

export interface SnsVerifierOptions {
  /** Hosts a signing certificate (and a SubscribeURL) may be on: SNS_CERT_HOST_PATTERN. */
  hostPattern: RegExp;
  fetchTimeoutMs?: number;
  fetchCertificate?: CertificateFetcher;
  now?: () => Date;
}

/** The signature's hash by SignatureVersion: 1 is SHA1withRSA, 2 SHA256withRSA. */
const HASHES: Record<string, string> = { '1': 'RSA-SHA1', '2': 'RSA-SHA256' };
const MAX_CERTIFICATE_BYTES = 16 * 1024;
/** Certificates kept; SNS signs with one per region at a time, so a few cover any installation. */
const MAX_CACHED = 32;

/**
 * Verifies SNS message signatures as AWS documents it: the fields in their
 * fixed order, signed with the key of a certificate that SNS serves over
 * https from its own host. The certificate URL comes in the message, so the
 * host rule is what stops a forger from naming a certificate of their own
 * (and what keeps the fetch away from this network's own hosts). Trust in the
 * certificate is TLS's: Node's CA store (NODE_EXTRA_CA_CERTS in tests).
 */
export class SnsVerifier {
  private readonly keys = new Map<string, Promise<KeyObject>>();
  private readonly fetchCertificate: CertificateFetcher;
  private readonly fetchTimeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: SnsVerifierOptions) {
    this.fetchCertificate = options.fetchCertificate ?? fetchOverHttps;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 5_000;
    this.now = options.now ?? (() => new Date());
  }

  /** Whether a URL is on an SNS host, over https: the rule for SigningCertURL and SubscribeURL alike. */
  isSnsUrl(value: string): boolean {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    return url.protocol === 'https:' && !url.username && !url.password && this.options.hostPattern.test(url.hostname);
  }

  /** Resolves when the message's signature verifies; throws SnsRejected otherwise. */
  async verify(message: SnsMessage): Promise<void> {
    const hash = HASHES[message.SignatureVersion];
    if (!hash) throw new SnsRejected(`unknown SignatureVersion ${message.SignatureVersion}`);
    if (!this.isSnsUrl(message.SigningCertURL)) throw new SnsRejected('SigningCertURL is not an SNS host over https');
    const key = await this.key(message.SigningCertURL);
    const verifier = createVerify(hash);
    verifier.update(stringToSign(message), 'utf8');
    if (!verifier.verify(key, message.Signature, 'base64')) throw new SnsRejected('signature does not verify');
  }

  private key(url: string): Promise<KeyObject> {
    let key = this.keys.get(url);
    if (!key) {
      key = this.load(url);
      if (this.keys.size >= MAX_CACHED) this.keys.delete(this.keys.keys().next().value!);
      this.keys.set(url, key);
      // A failed fetch is not remembered: the next message tries again.
      key.catch(() => this.keys.delete(url));
    }
    return key;
  }

  private async load(url: string): Promise<KeyObject> {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(await this.fetchCertificate(new URL(url), this.fetchTimeoutMs));
    } catch (error) {
      throw new SnsRejected(`signing certificate not loaded: ${(error as Error).message}`);
    }
    const now = this.now();
    if (now < new Date(certificate.validFrom) || now > new Date(certificate.validTo)) throw new SnsRejected('signing certificate expired');
    return certificate.publicKey;
  }
}

/** The string SNS signs: each present field's name and value, one per line, in this order (by message type). */
export function stringToSign(message: SnsMessage): string {
  const fields =
    message.Type === 'Notification'
      ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
      : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
  return fields
    .filter((field) => message[field] !== undefined)
    .map((field) => `${field}\n${message[field]}\n`)
    .join('');
}

/** GET over https, no redirects, bounded in time and size. */
export function fetchOverHttps(url: URL, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // The signal bounds the whole exchange, a server trickling its answer included.
    const request = get(url, { signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`answered ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_CERTIFICATE_BYTES) request.destroy(new Error('certificate too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** Visits a SubscribeURL (GET, no redirects), bounded in time; resolves with the status. */
export function visitOverHttps(url: URL, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { signal: AbortSignal.timeout(timeoutMs) }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}
