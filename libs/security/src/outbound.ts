import type { LookupAddress, LookupOptions } from 'node:dns';
import { connect, isIP, isIPv6, type LookupFunction, type Socket } from 'node:net';
import { DEFAULT_SMTP_PORTS } from '@clarion/config';
import { withTimeout } from '@clarion/errors';
import { checkPushEndpoint, isPublicAddress, lookupAddresses, NonPublicAddressError } from './push-endpoint';

/**
 * Where other people's settings may make Clarion connect. An organisation's
 * admin names its SMTP server, a supporter's browser names its push
 * endpoint: either could point delivery at a service inside our own network
 * (NATS, the database, a cloud metadata address) and have it speak there.
 * One set of rules for both: public addresses only, on the protocol's ports,
 * unless the installation allow-lists the server (OUTBOUND_ALLOW_LIST).
 * docs/decisions/0023.
 */

/** Resolves a host name to all its addresses. The system resolver unless a test gives its own. */
export type HostLookup = (host: string) => Promise<string[]>;

export type OutboundVerdict = { ok: true } | { ok: false; reason: string };

const DEFAULT_LOOKUP_TIMEOUT_MS = 2_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface OutboundRulesOptions {
  /** OUTBOUND_ALLOW_LIST: `smtp://host:port`, `smtps://host:port` and `https://host:port` entries outside the rules. */
  allowList?: readonly string[];
  /** SMTP_PORTS: the ports an organisation's SMTP server may use; 25, 465, 587 and 2525 by default. */
  smtpPorts?: readonly number[];
  /** LOCAL_PUSH_SERVICE_URL: the embedded push service, the one push origin allowed over plain http. */
  localPushOrigin?: string;
  lookup?: HostLookup;
  lookupTimeoutMs?: number;
}

/** An SMTP server as an organisation's URL names it: the host as written (brackets of an IPv6 address removed), the port nodemailer would use. */
export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
}

export type SmtpServerVerdict = { ok: true; server: SmtpServer; allowListed: boolean } | { ok: false; reason: string };

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
const smtpKey = (host: string, port: number) => `${host}:${port}`;

function parseSmtpUrl(text: string): { server: SmtpServer } | { reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { reason: 'is not a URL' };
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return { reason: 'must be an smtp:// or smtps:// URL' };
  // Nodemailer reads a URL's query as transport options (a proxy, TLS switches): none may come from an organisation.
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') return { reason: 'must have no path or query' };
  const host = hostOf(url);
  if (host === '') return { reason: 'must name a host' };
  const secure = url.protocol === 'smtps:';
  return { server: { host, port: Number(url.port) || (secure ? 465 : 587), secure } };
}

export class OutboundRules {
  readonly lookup: HostLookup;
  private readonly lookupTimeoutMs: number;
  private readonly smtpPorts: readonly number[];
  private readonly allowedSmtp = new Set<string>();
  private readonly allowedOrigins = new Set<string>();
  private readonly localPushOrigin?: string;

  /** The rules a service's configuration sets; `lookup` replaces the system resolver (tests). */
  static fromConfig(
    config: { OUTBOUND_ALLOW_LIST: readonly string[]; SMTP_PORTS: readonly number[]; LOCAL_PUSH_SERVICE_URL?: string },
    lookup?: HostLookup,
  ): OutboundRules {
    return new OutboundRules({
      allowList: config.OUTBOUND_ALLOW_LIST,
      smtpPorts: config.SMTP_PORTS,
      localPushOrigin: config.LOCAL_PUSH_SERVICE_URL,
      lookup,
    });
  }

  constructor(options: OutboundRulesOptions = {}) {
    this.lookup = options.lookup ?? lookupAddresses;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
    this.smtpPorts = options.smtpPorts ?? DEFAULT_SMTP_PORTS;
    this.localPushOrigin = options.localPushOrigin === undefined ? undefined : new URL(options.localPushOrigin).origin;
    for (const entry of options.allowList ?? []) {
      const url = new URL(entry);
      if (url.protocol === 'https:') {
        this.allowedOrigins.add(url.origin);
      } else {
        const parsed = parseSmtpUrl(entry);
        if ('reason' in parsed) throw new Error(`allow-list entry ${entry} ${parsed.reason}`);
        this.allowedSmtp.add(smtpKey(parsed.server.host, parsed.server.port));
      }
    }
  }

  /** What can be told of an SMTP URL without the network: its form, its port, and whether it is allow-listed. */
  smtpServer(url: string): SmtpServerVerdict {
    const parsed = parseSmtpUrl(url);
    if ('reason' in parsed) return refused('SMTP server URL', parsed.reason);
    const { server } = parsed;
    if (this.allowedSmtp.has(smtpKey(server.host, server.port))) return { ok: true, server, allowListed: true };
    if (!this.smtpPorts.includes(server.port)) {
      return refused('SMTP server', `must be on an SMTP port (${this.smtpPorts.join(', ')}), not ${server.port}`);
    }
    return { ok: true, server, allowListed: false };
  }

  /**
   * Whether an organisation may send through this SMTP server: its form and
   * port, and every address its host resolves to public. Delivery checks the
   * addresses again on every connection (connectSmtp).
   */
  async checkSmtpServer(url: string): Promise<OutboundVerdict> {
    const verdict = this.smtpServer(url);
    if (!verdict.ok || verdict.allowListed) return verdict.ok ? { ok: true } : verdict;
    const { host } = verdict.server;
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await this.resolve(host);
    } catch (error) {
      return refused('SMTP server', `host did not resolve: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (addresses.length === 0) return refused('SMTP server', 'host has no addresses');
    if (!addresses.every(isPublicAddress)) return refused('SMTP server', NON_PUBLIC);
    return { ok: true };
  }

  /**
   * A TCP connection to the SMTP server, made to an address that passed the
   * check at the moment of connecting: a host that resolved to a public
   * address when it was set and resolves to an internal one now (DNS
   * rebinding) is refused before any packet leaves. TLS (smtps, STARTTLS)
   * is left to the caller, which still knows the host name for SNI and the
   * certificate check.
   */
  connectSmtp(server: SmtpServer, allowListed: boolean, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<Socket> {
    const { host, port } = server;
    if (!allowListed && isIP(host) && !isPublicAddress(host)) return Promise.reject(new NonPublicAddressError(host));
    // An IP literal skips `lookup`: it was checked above.
    const socket = connect({ host, port, lookup: allowListed ? this.anyLookup : this.publicLookup });
    return new Promise<Socket>((resolve, reject) => {
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.setTimeout(timeoutMs, () => fail(new Error(`connecting to ${host}:${port} took longer than ${timeoutMs} ms`)));
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.setTimeout(0);
        socket.removeListener('error', fail);
        resolve(socket);
      });
    });
  }

  /**
   * Whether the server may send to this push endpoint: https on port 443 to
   * a host with only public addresses, or an allow-listed origin, or the
   * local push service. `lookup` overrides the resolver for this call (an
   * import resolves each host once).
   */
  checkPushEndpoint(url: string, options: { lookup?: HostLookup } = {}): Promise<OutboundVerdict> {
    const allowOrigins = [...this.allowedOrigins, ...(this.localPushOrigin ? [this.localPushOrigin] : [])];
    return checkPushEndpoint(url, { allowOrigins, lookup: options.lookup ?? this.lookup, timeoutMs: this.lookupTimeoutMs });
  }

  /** Whether an origin is on the allow-list (the local push service is not: it has its own agent). */
  allowsPushOrigin(origin: string): boolean {
    return this.allowedOrigins.has(origin);
  }

  /**
   * A `lookup` for sockets that resolves through this.lookup and refuses a
   * host with any non-public address, so the connection goes to the address
   * that was checked: no second resolution between the check and the connect.
   */
  readonly publicLookup: LookupFunction = (hostname, options, callback) => this.socketLookup(hostname, options, callback, true);

  /** The same for an allow-listed server: through this.lookup, any address. */
  private readonly anyLookup: LookupFunction = (hostname, options, callback) => this.socketLookup(hostname, options, callback, false);

  private socketLookup(hostname: string, options: LookupOptions, callback: LookupCallback, publicOnly: boolean): void {
    this.resolve(hostname).then(
      (found) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = found.filter((address) => family === 0 || isIP(address) === family);
        if (publicOnly && !found.every(isPublicAddress)) return callback(new NonPublicAddressError(hostname), '', 0);
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }), '', 0);
        const entries = addresses.map((address) => ({ address, family: isIPv6(address) ? 6 : 4 }));
        if (options.all) return callback(null, entries);
        callback(null, entries[0].address, entries[0].family);
      },
      (error: Error) => callback(error, '', 0),
    );
  }

  private resolve(host: string): Promise<string[]> {
    return withTimeout(this.lookup(host), this.lookupTimeoutMs, `lookup took longer than ${this.lookupTimeoutMs} ms`);
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const NON_PUBLIC = 'host resolves to a non-public address (loopback, private, link-local or metadata); ask the network to allow-list it';

function refused(what: string, reason: string): { ok: false; reason: string } {
  return { ok: false, reason: `${what} ${reason}` };
}
