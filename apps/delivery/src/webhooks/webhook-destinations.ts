import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '@clarion/config';
import { checkPushEndpoint, OutboundRules, type OutboundVerdict } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';

/** What is read of a receiver's answer: the status, and this much of the body at most (then dropped). */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface PostResult {
  status: number;
}

/**
 * Where a webhook may go, and the post itself. An endpoint's URL is an
 * organisation's or a coordinator's setting, so it is held to the rules of a
 * push endpoint (docs/decisions/0023): https on port 443 to a host whose
 * every address is public, unless its origin is allow-listed
 * (OUTBOUND_ALLOW_LIST for https, WEBHOOK_HTTP_ORIGINS for plain http). The
 * connection goes to an address checked as it connects (no DNS rebinding),
 * redirects are not followed, and one timeout bounds it all.
 */
@Injectable()
export class WebhookDestinations {
  private readonly plainOrigins: ReadonlySet<string>;

  constructor(
    private readonly outbound: OutboundRules,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {
    this.plainOrigins = new Set(config.WEBHOOK_HTTP_ORIGINS);
  }

  async check(url: string): Promise<OutboundVerdict> {
    const verdict = await checkPushEndpoint(url, { allowOrigins: [...this.plainOrigins], lookup: this.outbound.lookup });
    if (!verdict.ok && this.outbound.allowsPushOrigin(originOf(url))) return { ok: true };
    return verdict.ok ? verdict : { ok: false, reason: verdict.reason.replace(/^push endpoint/, 'url') };
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const verdict = await this.check(url);
    if (!verdict.ok) throw new Error(verdict.reason);
    const target = new URL(url);
    const allowListed = this.plainOrigins.has(target.origin) || this.outbound.allowsPushOrigin(target.origin);
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const timeoutMs = this.config.WEBHOOK_TIMEOUT_MS;
    return new Promise<PostResult>((resolve, reject) => {
      const req = send(target, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        // A host that resolves to a private address now is refused before any packet leaves.
        ...(allowListed ? {} : { lookup: this.outbound.publicLookup }),
        agent: false,
      });
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.once('response', (res: IncomingMessage) => {
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.once('close', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0 });
        });
      });
      req.end(body);
    });
  }
}

function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '';
}
