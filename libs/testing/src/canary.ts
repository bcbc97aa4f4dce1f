import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface Canary {
  port: number;
  /** How many TCP connections reached it so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A TCP listener on 127.0.0.1 that counts who connects and says nothing:
 * the place a request must never reach (an internal service an SSRF would
 * aim at). A count of 0 is the proof.
 */
export async function startCanary(): Promise<Canary> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
