import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { HTTP_KEEP_ALIVE_MS, keepAliveUntilClose } from './http-keep-alive';

/** A server on a real socket whose /slow answers only when told to (`slowArrived` gives the way to answer it). */
async function startServer(): Promise<{ server: Server; port: number; slowArrived: Promise<() => void> }> {
  let arrived: (answer: () => void) => void = () => {};
  const slowArrived = new Promise<() => void>((resolve) => (arrived = resolve));
  const server = createServer((req, res) => {
    if (req.url === '/slow') arrived(() => res.end('slow done'));
    else res.end('ok');
  });
  keepAliveUntilClose(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, slowArrived };
}

function get(port: number, path: string, agent: Agent): Promise<{ body: string; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

describe('keepAliveUntilClose', () => {
  const agents: Agent[] = [];
  const keptAlive = () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    return agent;
  };
  afterEach(() => agents.splice(0).forEach((agent) => agent.destroy()));

  it('tells clients it keeps an idle connection longer than a proxy in front would (60 s)', async () => {
    const { server, port } = await startServer();
    const { headers } = await get(port, '/', keptAlive());
    expect(headers['keep-alive']).toBe(`timeout=${HTTP_KEEP_ALIVE_MS / 1000}`);
    expect(HTTP_KEEP_ALIVE_MS).toBeGreaterThan(60_000);
    await new Promise((resolve) => server.close(resolve));
  });

  it('closes, once the response in progress is sent whole, with a kept-alive idle connection and one that never sent a request still open', async () => {
    const { server, port, slowArrived } = await startServer();
    await get(port, '/', keptAlive()); // its connection stays open, idle
    const silent = connect(port, '127.0.0.1'); // opened, nothing sent
    await new Promise((resolve) => silent.once('connect', resolve));
    const slow = get(port, '/slow', keptAlive());
    const answerSlow = await slowArrived;

    let closed = false;
    const closing = new Promise<void>((resolve) => server.close(() => resolve())).then(() => (closed = true));
    const silentEnded = new Promise((resolve) => silent.once('close', resolve));
    await silentEnded;
    expect(closed).toBe(false); // the slow request is still being answered
    answerSlow();
    const answer = await slow;
    await closing;
    expect({ body: answer.body, connection: answer.headers.connection }).toEqual({ body: 'slow done', connection: 'close' });
  }, 10_000); // closing waits on no timer: without keepAliveUntilClose it would wait out the 65 s keep-alive
});
