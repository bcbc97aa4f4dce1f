import { connect, type ConnectionOptions, type NatsConnection } from 'nats';
import type { CommonConfig } from '@clarion/config';
import { inboxPrefixOf, type BusService } from '@clarion/contracts';
import { busAuthenticator } from '@clarion/security';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

/** How one service joins the bus: where, as whom (its NKey seed), whom it trusts, and TLS when configured. */
export interface BusSettings {
  url: string;
  service: BusService;
  seed: string;
  /** Every service's public NKey: the answering side checks a request's signature against its caller's. */
  publicKeys: Record<BusService, string>;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

export function busSettings(service: BusService, config: CommonConfig): BusSettings {
  const tlsGiven = config.NATS_TLS_CA_FILE || config.NATS_TLS_CERT_FILE || config.NATS_TLS_KEY_FILE;
  return {
    url: config.NATS_URL,
    service,
    seed: config.NATS_NKEY_SEED_FILE,
    publicKeys: config.BUS_PUBLIC_KEYS_FILE,
    tls: tlsGiven ? { caFile: config.NATS_TLS_CA_FILE, certFile: config.NATS_TLS_CERT_FILE, keyFile: config.NATS_TLS_KEY_FILE } : undefined,
  };
}

export function natsServers(url: string): string[] {
  return url.split(',').map((part) => part.trim()).filter(Boolean);
}

/**
 * How long a client waits for its handshake (TCP, TLS, NKey signature) to be answered. Twice the server's own
 * bound (NATS_HANDSHAKE_TIMEOUT_S, libs/infra): a slow handshake is the server's to cut off, and when it does,
 * nats.js v2 does not notice the closed connection but waits out this timeout before it dials again — so this
 * is also what such a cut costs. A server that is down refuses at once.
 */
export const NATS_CLIENT_HANDSHAKE_TIMEOUT_MS = 20_000;

/**
 * Options shared by every NATS client in Clarion (ours and Nest's transport):
 * the service's NKey, its own inbox (no other identity may read its replies),
 * TLS when configured, and reconnect forever with a bounded wait, so a NATS
 * restart is an outage to ride out, not a crash.
 */
export function natsClientOptions(bus: BusSettings, name: string): ConnectionOptions {
  return {
    servers: natsServers(bus.url),
    name,
    authenticator: busAuthenticator(bus.seed),
    inboxPrefix: inboxPrefixOf(bus.service),
    // nats.js reads the files itself; a key or certificate left out is simply not sent.
    ...(bus.tls ? { tls: JSON.parse(JSON.stringify(bus.tls)) as BusSettings['tls'] } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    timeout: NATS_CLIENT_HANDSHAKE_TIMEOUT_MS,
    pingInterval: 10_000,
    waitOnFirstConnect: true,
  };
}

export function connectNats(bus: BusSettings, name: string): Promise<NatsConnection> {
  return connect(natsClientOptions(bus, name));
}
