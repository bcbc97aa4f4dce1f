import { Agent, type RequestOptions } from 'node:https';
import { createConnection, type Socket } from 'node:net';

/**
 * web-push always sends with https.request, which cannot talk to a plain-HTTP
 * push service like the embedded local one. Given as web-push's `agent` option,
 * this keeps web-push's request as it is but opens a plain TCP connection
 * instead of TLS. Only for the local push service's origin: it would just as
 * well strip TLS from a real endpoint.
 */
export class PlaintextPushAgent extends Agent {
  /** Connections kept open between pushes, as the TLS agents for real push services keep theirs. */
  constructor() {
    super({ keepAlive: true });
  }

  override createConnection(options: RequestOptions): Socket {
    return createConnection({ host: options.host ?? 'localhost', port: Number(options.port) });
  }
}
