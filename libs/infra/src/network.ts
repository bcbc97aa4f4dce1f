import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Listening ports are drawn from below the ephemeral range operating systems
 * give outgoing connections (Linux: 32768–60999; macOS, Windows: 49152 up).
 * A port the OS picked (listen on 0) and we then released can be taken by
 * any outgoing connection on the machine before our server binds it, which
 * happened under parallel test runs; one from this range only by another
 * server picking the same number at the same moment.
 */
const LISTEN_PORTS = { from: 20_000, to: 32_000 };
const PORT_TRIES = 50;
const handedOut = new Set<number>();
/**
 * A port handed out is also reserved for this process on the machine, by a file naming its pid: between the check
 * and the server's bind (seconds, for a service booting on a loaded machine) another test process could otherwise
 * draw the same number, and one of them would find the other's server on its port. Reservations of processes that
 * have ended are taken over.
 */
const RESERVATIONS = join(tmpdir(), 'clarion-ports');

/** A free port for a server about to listen on 127.0.0.1: checked by binding it, and reserved against this machine's other test processes. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORT_TRIES; tries++) {
    const port = LISTEN_PORTS.from + Math.floor(Math.random() * (LISTEN_PORTS.to - LISTEN_PORTS.from));
    if (handedOut.has(port) || !reservePort(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  return listenOn(0);
}

/** Whether this process now holds `port`'s reservation in `dir` (made, or taken over from a process that has ended). */
export function reservePort(port: number, dir = RESERVATIONS): boolean {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch {
      let holder: number;
      try {
        holder = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue; // Released meanwhile: try again.
      }
      // Empty: another process has just made it and not yet written its pid.
      if (!holder || isRunning(holder)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canListen(port: number): Promise<boolean> {
  return listenOn(port).then(
    () => true,
    () => false,
  );
}

/** Binds `port` (0: any) on 127.0.0.1, releases it, and gives the port it got. */
function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
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
