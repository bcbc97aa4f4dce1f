import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Node closes an idle keep-alive connection after 5 s. A client or proxy that keeps it longer (load balancers and
 * nginx: 60 s; undici: 4 s, later under load) may send a request just as the server closes it, and the request
 * fails ("other side closed"). The server keeps idle connections past any of them; headers still have to arrive
 * within headersTimeout.
 */
export const HTTP_KEEP_ALIVE_MS = 65_000;

/**
 * Keeps idle connections open for HTTP_KEEP_ALIVE_MS, and none of them past the server's close: Node's
 * `close()` ends the connections idle at that moment, but not one a client opened and sent nothing on yet, nor
 * one whose request was in progress, which stays open, kept alive, when its response ends: a service would wait
 * out its shutdown bound for them. Once closing, a connection with no response in progress ends at once; a
 * response in progress says `Connection: close` if it can still, and its connection ends with it.
 */
export function keepAliveUntilClose(server: Server): void {
  server.keepAliveTimeout = HTTP_KEEP_ALIVE_MS;
  server.headersTimeout = HTTP_KEEP_ALIVE_MS + 1_000;
  const inProgress = new Map<Socket, Set<ServerResponse>>();
  let closing = false;

  server.on('connection', (socket: Socket) => {
    inProgress.set(socket, new Set());
    socket.once('close', () => inProgress.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const responses = inProgress.get(req.socket);
    if (!responses) return;
    responses.add(res);
    if (closing) res.shouldKeepAlive = false;
    // 'close' comes after the response's last bytes were handed to the system, so nothing is cut short.
    res.once('close', () => {
      responses.delete(res);
      if (closing && responses.size === 0) req.socket.destroy();
    });
  });

  const close = server.close.bind(server);
  server.close = ((callback?: (error?: Error) => void) => {
    closing = true;
    for (const [socket, responses] of inProgress) {
      if (responses.size === 0) socket.destroy();
      for (const res of responses) if (!res.headersSent) res.shouldKeepAlive = false;
    }
    return close(callback);
  }) as Server['close'];
}
