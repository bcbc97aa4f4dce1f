import { request, type Agent } from 'node:https';
import { WebPushError } from 'web-push';
import type { EncryptedPush } from './push-encryption';

/**
 * POSTs an encrypted push as web-push's sendNotification does, and fails the
 * same way (a WebPushError for any status outside 2xx, carrying status,
 * headers and body), so push-outcome reads both alike. The agent decides how
 * to connect (TLS with checked addresses, or the local plain-HTTP service).
 */
export function postPush(endpoint: string, { headers, body }: EncryptedPush, { agent, timeoutMs }: { agent: Agent; timeoutMs: number }): Promise<void> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const pushRequest = request(
      { hostname: url.hostname, port: url.port || 443, path: `${url.pathname}${url.search}`, method: 'POST', headers, agent, timeout: timeoutMs },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) reject(new WebPushError('Received unexpected response code', status, response.headers as Record<string, string>, text, endpoint));
          else resolve();
        });
      },
    );
    pushRequest.on('timeout', () => pushRequest.destroy(new Error('Socket timeout')));
    pushRequest.on('error', reject);
    pushRequest.end(body);
  });
}
