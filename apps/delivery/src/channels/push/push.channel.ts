import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'node:https';
import type { DeliveryConfig } from '@clarion/config';
import type { PushSubscriptionJson } from '@clarion/contracts';
import { OutboundRules, PlaintextPushAgent } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { REFUSED_LOCALLY, type ChannelAdapter, type SendOutcome } from '../channel';
import type { WebPushUrgency } from './push-headers';
import { PushEncryption } from './push-encryption';
import { pushOutcome } from './push-outcome';
import { postPush } from './push-request';
import { VapidHeaders, type VapidKeys } from './vapid-headers';

export interface PushMessage {
  subscription: PushSubscriptionJson;
  /** JSON, encrypted for the subscription by web-push (RFC 8291). */
  payload: string;
  ttlSeconds: number;
  urgency: WebPushUrgency;
  /** RFC 8030 §5.4: a push service replaces a message not yet shown by a newer one under the same topic. */
  topic?: string;
  /** The organisation's own VAPID key pair, so its subscriptions stay valid wherever it takes them. */
  vapid: VapidKeys;
}

/** Web push (web-push builds and encrypts each request, on a thread of its own), only to https endpoints on port 443 on the public internet, allow-listed origins, or the embedded local push service. */
@Injectable()
export class PushChannel implements ChannelAdapter<PushMessage>, OnApplicationShutdown {
  /** Checks the addresses again when it connects, so a host cannot resolve elsewhere between the check and the request. */
  private readonly publicAgent: Agent;
  /** For the allow-listed origins, which may be on private addresses. */
  private readonly allowListedAgent = new Agent({ keepAlive: true });
  private readonly local?: { origin: string; agent: Agent };
  private readonly vapidHeaders = new VapidHeaders();
  private readonly encryption = new PushEncryption();

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig,
    private readonly outbound: OutboundRules,
  ) {
    this.publicAgent = new Agent({ keepAlive: true, lookup: outbound.publicLookup });
    if (config.LOCAL_PUSH_SERVICE_URL) {
      const origin = new URL(config.LOCAL_PUSH_SERVICE_URL);
      this.local = { origin: origin.origin, agent: origin.protocol === 'http:' ? new PlaintextPushAgent() : new Agent({ keepAlive: true }) };
    }
  }

  async send(message: PushMessage): Promise<SendOutcome> {
    const { endpoint } = message.subscription;
    const verdict = await this.outbound.checkPushEndpoint(endpoint);
    if (!verdict.ok) return { kind: 'suppress', reason: verdict.reason, code: REFUSED_LOCALLY };
    const url = new URL(endpoint);
    try {
      const encrypted = await this.encryption.encrypt(message.subscription, message.payload, {
        headers: { Authorization: this.vapidHeaders.authorization(endpoint, message.vapid) },
        TTL: message.ttlSeconds,
        urgency: message.urgency,
        ...(message.topic ? { topic: message.topic } : {}),
        contentEncoding: 'aes128gcm',
      });
      await postPush(url, encrypted, { agent: this.agentFor(url.origin), timeoutMs: this.config.PUSH_TIMEOUT_MS });
      return { kind: 'sent' };
    } catch (error) {
      return pushOutcome(error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.encryption.close();
    this.publicAgent.destroy();
    this.allowListedAgent.destroy();
    this.local?.agent.destroy();
  }

  private agentFor(origin: string): Agent {
    if (this.local && origin === this.local.origin) return this.local.agent;
    return this.outbound.allowsPushOrigin(origin) ? this.allowListedAgent : this.publicAgent;
  }
}
