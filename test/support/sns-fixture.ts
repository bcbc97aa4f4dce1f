import { execFileSync } from 'node:child_process';
import { createSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An SNS message as SNS would POST it (signature fields filled in by SnsFixture.sign). */
export interface SnsFields {
  Type: 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string;
  SubscribeURL?: string;
  Token?: string;
}

/**
 * Stands in for Amazon SNS in tests: a CA of its own (which the gateway trusts through
 * NODE_EXTRA_CA_CERTS), an https server for `localhost` serving the signing certificate and
 * a SubscribeURL, and a signing key. The gateway runs with SNS_CERT_HOST_PATTERN=^localhost$.
 * Made with the openssl CLI, which the machine has (the test fails loudly without it).
 */
export class SnsFixture {
  readonly caFile: string;
  private readonly signingKey: string;

  private constructor(
    private readonly dir: string,
    private readonly server: Server,
    private readonly visits: { count: number },
  ) {
    this.caFile = join(dir, 'ca.pem');
    this.signingKey = readFileSync(join(dir, 'signing.key'), 'utf8');
  }

  static async start(): Promise<SnsFixture> {
    const dir = mkdtempSync(join(tmpdir(), 'clarion-sns-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Clarion test SNS CA');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'signing.key', '-out', 'signing.pem', '-days', '2', '-subj', '/CN=sns.amazonaws.com');
    const signingCert = readFileSync(join(dir, 'signing.pem'));
    const visits = { count: 0 };
    const server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
      if (req.url === '/SimpleNotificationService-test.pem') {
        res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(signingCert);
      } else if (req.url?.startsWith('/confirm')) {
        visits.count++;
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<ConfirmSubscriptionResponse/>');
      } else {
        res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    return new SnsFixture(dir, server, visits);
  }

  /** Times the SubscribeURL was visited. */
  get subscribeVisits(): number {
    return this.visits.count;
  }

  get origin(): string {
    return `https://localhost:${(this.server.address() as AddressInfo).port}`;
  }

  get certUrl(): string {
    return `${this.origin}/SimpleNotificationService-test.pem`;
  }

  /** Signs as SNS does (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA), with `key` or the fixture's own. */
  sign(fields: SnsFields, options: { version?: '1' | '2'; key?: string; certUrl?: string } = {}): Record<string, string> {
    const version = options.version ?? '2';
    const order =
      fields.Type === 'Notification'
        ? (['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const)
        : (['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const);
    const text = order
      .filter((name) => fields[name] !== undefined)
      .map((name) => `${name}\n${fields[name]}\n`)
      .join('');
    const signature = createSign(version === '1' ? 'RSA-SHA1' : 'RSA-SHA256')
      .update(text, 'utf8')
      .sign(options.key ?? this.signingKey, 'base64');
    return {
      ...(fields as unknown as Record<string, string>),
      SignatureVersion: version,
      Signature: signature,
      SigningCertURL: options.certUrl ?? this.certUrl,
    };
  }

  /** A key SNS never used: what a forger has. */
  otherKey(): string {
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'forger.key'], { cwd: this.dir, stdio: 'pipe' });
    return readFileSync(join(this.dir, 'forger.key'), 'utf8');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
