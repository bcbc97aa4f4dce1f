import { createServer, connect } from 'node:net';

/** A port the OS reports free right now (there is a small race until the caller binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return canConnect({ port, host }, timeoutMs);
}

/** Whether a server accepts connections on the Unix socket at `path`. */
export function isSocketOpen(path: string, timeoutMs = 500): Promise<boolean> {
  return canConnect({ path }, timeoutMs);
}

function canConnect(options: { port: number; host: string } | { path: string }, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(options);
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls until something answers, or rejects naming what it waited for. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, exited?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void exited?.then(() => (died = true));
  while (Date.now() < deadline) {
    if (died) throw new Error(`${what} exited before it was ready`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} was not ready within ${timeoutMs} ms`);
}
