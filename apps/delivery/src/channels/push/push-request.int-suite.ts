import { createServer, type Server, type Socket } from 'node:net';
import { PlaintextPushAgent } from '@clarion/security';
import { MAX_STALE_CONNECTION_RESENDS, postPush } from './push-request';

const answer = (status: string) => `HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n`;
const push = { headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.from('sealed') };

/**
 * A push service on raw TCP, so a test can do what a real one does at the worst
 * moment: close a kept-alive connection just as the sender reuses it.
 * `onRequest` says, for the nth request on the nth connection, whether to accept it, refuse it (500) or reset the connection.
 */
async function pushServer(onRequest: (connection: number, request: number) => 'answer' | 'refuse' | 'reset'): Promise<{ url: URL; connections: () => number; requests: () => number; close: () => Promise<void> }> {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    const connection = ++connections;
    let onThisConnection = 0;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (chunk) => {
      // Each test request arrives in one chunk with its body ("sealed").
      if (!chunk.toString('latin1').startsWith('POST ')) return;
      requests++;
      const reply = onRequest(connection, ++onThisConnection);
      if (reply === 'reset') socket.resetAndDestroy();
      else socket.write(answer(reply === 'answer' ? '201 Created' : '500 Internal Server Error'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: new URL(`http://127.0.0.1:${port}/push/one`),
    connections: () => connections,
    requests: () => requests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('postPush over a kept-alive connection', () => {
  const agents: PlaintextPushAgent[] = [];
  const services: { close: () => Promise<void> }[] = [];
  const agent = () => {
    const made = new PlaintextPushAgent();
    agents.push(made);
    return made;
  };
  /** A push service this test uses, closed after it. */
  const serving = async (onRequest: Parameters<typeof pushServer>[0]) => {
    const service = await pushServer(onRequest);
    services.push(service);
    return service;
  };
  afterEach(async () => {
    agents.splice(0).forEach((made) => made.destroy());
    await Promise.all(services.splice(0).map((service) => service.close()));
  });

  it('sends again on a new connection when a reused one was closed before any answer, and the push counts as one', async () => {
    // The second request on the first connection finds it closed by the server.
    const service = await serving((connection, request) => (connection === 1 && request === 2 ? 'reset' : 'answer'));
    const sender = agent();
    await postPush(service.url, push, { agent: sender, timeoutMs: 5_000 });
    await expect(postPush(service.url, push, { agent: sender, timeoutMs: 5_000 })).resolves.toBeUndefined();
    expect({ connections: service.connections(), requests: service.requests() }).toEqual({ connections: 2, requests: 3 });
  });

  it('gives up after a bounded number of resends when every reused connection is reset', async () => {
    // A pool of several idle connections, all closed under the sender; then a new connection is reset as well.
    const service = await serving((_connection, request) => (request === 1 ? 'answer' : 'reset'));
    const sender = agent();
    await Promise.all(Array.from({ length: MAX_STALE_CONNECTION_RESENDS + 2 }, () => postPush(service.url, push, { agent: sender, timeoutMs: 5_000 })));
    const before = service.requests();
    await expect(postPush(service.url, push, { agent: sender, timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(service.requests() - before).toBe(MAX_STALE_CONNECTION_RESENDS + 1);
  });

  it('does not send again when a new connection is reset: the service may have read the push', async () => {
    const service = await serving(() => 'reset');
    await expect(postPush(service.url, push, { agent: agent(), timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(service.requests()).toBe(1);
  });

  it('does not send again when a reused connection answered with a refusal', async () => {
    const service = await serving((_connection, request) => (request === 1 ? 'answer' : 'refuse'));
    const sender = agent();
    await postPush(service.url, push, { agent: sender, timeoutMs: 5_000 });
    await expect(postPush(service.url, push, { agent: sender, timeoutMs: 5_000 })).rejects.toMatchObject({ statusCode: 500 });
    expect(service.requests()).toBe(2);
  });
});
