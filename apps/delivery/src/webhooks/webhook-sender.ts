import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JsMsg } from 'nats';
import type { DeliveryConfig } from '@clarion/config';
import type { WebhookDeliveryJob } from '@clarion/contracts';
import type { ConsumerOutcome } from '@clarion/messaging';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { errorMessage } from '../common/error-message';
import { WebhookDestinations } from './webhook-destinations';
import { WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';
import { signatureHeader } from './webhook-signature';

/** A webhook is tried once more than WEBHOOK_RETRY_BACKOFF_MS names waits. */
export const webhookAttempts = (config: Pick<DeliveryConfig, 'WEBHOOK_RETRY_BACKOFF_MS'>) => config.WEBHOOK_RETRY_BACKOFF_MS.length + 1;

/**
 * Posts one queued webhook, signed with every secret the endpoint signs with
 * now, and records the attempt in the endpoint's log (status or error,
 * never a secret or a signature). A 2xx delivers it; anything else is tried
 * again after the next wait, until the attempts run out and it is marked
 * failed. A job already delivered (an ack lost) is not posted again.
 */
@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    private readonly repository: WebhookRepository,
    private readonly webhooks: WebhookService,
    private readonly destinations: WebhookDestinations,
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
  ) {}

  async send(job: WebhookDeliveryJob, msg: Pick<JsMsg, 'info'>): Promise<ConsumerOutcome> {
    const { endpointId, messageId, type } = job;
    const logged = await this.repository.message(endpointId, messageId);
    if (logged?.state === 'delivered') return { kind: 'skipped', reason: 'already delivered' };
    const endpoint = await this.repository.byId(endpointId);
    if (!endpoint || endpoint.disabled) return { kind: 'skipped', reason: endpoint ? 'endpoint disabled' : 'endpoint deleted' };

    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type, timestamp: job.occurredAt, data: job.data });
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Clarion-Webhooks/1',
      'webhook-id': messageId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signatureHeader(this.webhooks.signingSecrets(endpoint), messageId, timestamp, body),
    };
    const started = Date.now();
    const attempt = msg.info.redeliveryCount;
    const last = attempt >= webhookAttempts(this.config);
    let status: number | undefined;
    let error: string | undefined;
    try {
      status = (await this.destinations.post(endpoint.url, headers, body)).status;
    } catch (err) {
      error = errorMessage(err).slice(0, 300);
    }
    const delivered = status !== undefined && status >= 200 && status < 300;
    const record = { at: new Date(started), durationMs: Date.now() - started, ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}) };
    await this.repository.recordAttempt(endpointId, messageId, type, record, delivered ? 'delivered' : last ? 'failed' : 'pending');
    if (delivered) return { kind: 'handled' };
    const reason = error ?? `receiver answered ${status}`;
    this.logger.warn({ endpointId, messageId, attempt, reason }, last ? 'webhook given up' : 'webhook will be tried again');
    return { kind: 'retry', reason };
  }
}
