import { request, type Agent } from 'node:https';
import { WebPushError } from 'web-push';
import type { EncryptedPush } from './push-encryption';

/**
 * How many times a push goes again on another connection when a kept-alive one
 * turns out closed. The agent drops a socket a second before the server's
 * announced keep-alive timeout, but a busy event loop can hand it out after the
 * server closed it; several idle sockets can be closed at once.
 */
export const MAX_STALE_CONNECTION_RESENDS = 3;

/**
 * POSTs an encrypted push as web-push's sendNotification does, and fails the
 * same way (a WebPushError for any status outside 2xx, carrying status,
 * headers and body), so push-outcome reads both alike. The agent decides how
 * to connect (TLS with checked addresses, or the local plain-HTTP service).
 *
 * A reused connection reset before any answer was closed by the server while
 * idle: the server never read the push, so it goes again at once (as Node's
 * documentation advises, and as nodemailer's pool does for mail) rather than
 * costing the supporter a retry pass and its backoff.
 */
export async function postPush(endpoint: URL, push: EncryptedPush, options: { agent: Agent; timeoutMs: number }): Promise<void> {
  for (let resends = 0; ; resends++) {
    try {
      return await postOnce(endpoint, push, options);
    } catch (error) {
      if (!(error instanceof StaleConnectionError) || resends >= MAX_STALE_CONNECTION_RESENDS) throw error instanceof StaleConnectionError ? error.cause : error;
    }
  }
}

/** A kept-alive connection the server had already closed: nothing was answered on it. */
class StaleConnectionError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function postOnce(url: URL, { headers, body }: EncryptedPush, { agent, timeoutMs }: { agent: Agent; timeoutMs: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const pushRequest = request(
      { hostname: url.hostname, port: url.port || 443, path: `${url.pathname}${url.search}`, method: 'POST', headers, agent, timeout: timeoutMs },
      (response) => {
        answered = true;
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) reject(new WebPushError('Received unexpected response code', status, response.headers as Record<string, string>, text, url.href));
          else resolve();
        });
      },
    );
    pushRequest.on('timeout', () => pushRequest.destroy(new Error('Socket timeout')));
    pushRequest.on('error', (error: NodeJS.ErrnoException) => {
      const closedWhileIdle = pushRequest.reusedSocket && !answered && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
      reject(closedWhileIdle ? new StaleConnectionError(error) : error);
    });
    pushRequest.end(body);
  });
}
