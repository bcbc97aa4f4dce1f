import { BUS_SERVICES, natsPermissions, streamOperatorPermissions, type NatsPermissions } from '@clarion/contracts';

export interface NatsUser {
  /** The user's NKey public key (`U…`). */
  nkey: string;
  permissions: NatsPermissions;
}

export interface NatsTls {
  certFile: string;
  keyFile: string;
  /** Given: clients must present a certificate signed by this CA too. */
  caFile?: string;
}

export type StoreCipher = 'chachapoly' | 'aes' | 'none';

export interface NatsServerConfigOptions {
  host?: string;
  port: number;
  storeDir: string;
  users: NatsUser[];
  /** JetStream encrypts its files at rest with this key. */
  storeKey: string;
  /** AES-GCM unless told otherwise (measured the cheapest, bench/jetstream-cipher.ts); `none` only to measure what encryption costs. */
  cipher?: StoreCipher;
  monitorPort?: number;
  serverName?: string;
  cluster?: { name: string; port: number; routes: string[]; password: string };
  tls?: NatsTls;
}

/** Every Clarion service as a NATS user, with the permissions the contracts' table gives it; and the operator, who alone may change streams. */
export function clarionUsers(publicKeys: Record<(typeof BUS_SERVICES)[number], string>, operatorKey?: string): NatsUser[] {
  const services = BUS_SERVICES.map((service) => ({ nkey: publicKeys[service], permissions: natsPermissions(service) }));
  return operatorKey ? [...services, { nkey: operatorKey, permissions: streamOperatorPermissions }] : services;
}

/**
 * A nats-server configuration (JSON, which the server's format accepts):
 * NKey users only, so no anonymous client connects; each user limited to its
 * permissions (answers only into its callers' inboxes, not allow_responses:
 * natsPermissions says why); JetStream's store
 * encrypted; cluster routes behind a password.
 */
export function natsServerConfig(options: NatsServerConfigOptions): string {
  return `${JSON.stringify(natsServerConfigObject(options), null, 2)}\n`;
}

/** The users block alone, as nats-server's `include` takes it: `authorization: {…}`. */
export function natsAuthorizationInclude(users: NatsUser[]): string {
  return `authorization: ${JSON.stringify(authorizationOf(users), null, 2)}\n`;
}

/**
 * Seconds a client has, from its TCP connection, to present its NKey signature (and, with TLS, its handshake):
 * nats-server's default is 2. A client starved of CPU for longer (a loaded 2-core host starting services) was
 * cut off mid-handshake, and nats.js v2 then waits out its whole connect timeout on the closed connection
 * before trying again. An idle unauthenticated socket costs the server little for these few seconds more.
 */
export const NATS_HANDSHAKE_TIMEOUT_S = 10;

function authorizationOf(users: NatsUser[]) {
  return {
    timeout: NATS_HANDSHAKE_TIMEOUT_S,
    users: users.map((user) => ({
      nkey: user.nkey,
      permissions: {
        publish: { allow: user.permissions.publish },
        subscribe: { allow: user.permissions.subscribe },
      },
    })),
  };
}

function natsServerConfigObject(options: NatsServerConfigOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {
    host: options.host ?? '127.0.0.1',
    port: options.port,
    ...(options.serverName ? { server_name: options.serverName } : {}),
    ...(options.monitorPort ? { http: `127.0.0.1:${options.monitorPort}` } : {}),
    jetstream: {
      store_dir: options.storeDir,
      ...(options.cipher === 'none' ? {} : { cipher: options.cipher ?? 'aes', key: options.storeKey }),
    },
    authorization: authorizationOf(options.users),
    ...(options.tls
      ? {
          tls: {
            cert_file: options.tls.certFile,
            key_file: options.tls.keyFile,
            timeout: NATS_HANDSHAKE_TIMEOUT_S,
            ...(options.tls.caFile ? { ca_file: options.tls.caFile, verify: true } : {}),
          },
        }
      : {}),
  };
  if (options.cluster) {
    const { name, port, routes, password } = options.cluster;
    config.cluster = {
      name,
      listen: `127.0.0.1:${port}`,
      authorization: { user: 'route', password },
      routes: routes.map((route) => route.replace('nats://', `nats://route:${encodeURIComponent(password)}@`)),
    };
  }
  return config;
}
