import { connect, type ConnectionOptions, type NatsConnection } from 'nats';

export const NATS_CONNECTION = Symbol('NATS_CONNECTION');

export function natsServers(url: string): string[] {
  return url.split(',').map((part) => part.trim()).filter(Boolean);
}

/**
 * Options shared by every NATS client in Clarion (ours and Nest's transport):
 * reconnect forever with a bounded wait, so a NATS restart is an outage to ride
 * out, not a crash.
 */
export function natsClientOptions(url: string, name: string): ConnectionOptions {
  return {
    servers: natsServers(url),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    reconnectJitter: 250,
    timeout: 5_000,
    pingInterval: 10_000,
    waitOnFirstConnect: true,
  };
}

export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect(natsClientOptions(url, name));
}
