import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'node:https';
import webpush from 'web-push';
import type { DeliveryConfig } from '@clarion/config';
import type { PushSubscriptionJson } from '@clarion/contracts';
import { checkPushEndpoint, lookupAddresses, publicAddressLookup } from '@clarion/security';
import { SERVICE_CONFIG } from '@clarion/service-kit';
import { TtlCache } from '../common/ttl-cache';
import { REFUSED_LOCALLY, type ChannelAdapter, type SendOutcome } from './channel';
import type { WebPushUrgency } from './push-headers';
import { pushOutcome } from './push-outcome';
import { VapidHeaders, type VapidKeys } from './vapid-headers';
import { PlaintextPushAgent } from '@clarion/security';

export interface PushMessage {
  subscription: PushSubscriptionJson;
  /** JSON, encrypted for the subscription by web-push (RFC 8291). */
  payload: string;
  ttlSeconds: number;
  urgency: WebPushUrgency;
  /** The organisation's own VAPID key pair, so its subscriptions stay valid wherever it takes them. */
  vapid: VapidKeys;
}

/** Push endpoints concentrate on a few hosts (the browsers' push services): resolve each once a minute, not once a message. */
const HOST_CACHE_TTL_MS = 60_000;
const HOST_CACHE_SIZE = 1_000;

/** Web push through web-push, only to endpoints on the public internet (or the embedded local push service). */
@Injectable()
export class PushChannel implements ChannelAdapter<PushMessage>, OnApplicationShutdown {
  /** Checks the addresses again when it connects, so a host cannot resolve elsewhere between the check and the request. */
  private readonly publicAgent = new Agent({ keepAlive: true, lookup: publicAddressLookup });
  private readonly local?: { origin: string; agent: Agent };
  private readonly hosts = new TtlCache<string[]>(HOST_CACHE_TTL_MS, HOST_CACHE_SIZE);
  private readonly vapidHeaders = new VapidHeaders();

  constructor(@Inject(SERVICE_CONFIG) private readonly config: DeliveryConfig) {
    if (config.LOCAL_PUSH_SERVICE_URL) {
      const origin = new URL(config.LOCAL_PUSH_SERVICE_URL);
      this.local = { origin: origin.origin, agent: origin.protocol === 'http:' ? new PlaintextPushAgent() : new Agent({ keepAlive: true }) };
    }
  }

  async send(message: PushMessage): Promise<SendOutcome> {
    const { endpoint } = message.subscription;
    const verdict = await checkPushEndpoint(endpoint, {
      allowOrigin: this.local?.origin,
      lookup: (host) => this.hosts.get(host, () => lookupAddresses(host)),
    });
    if (!verdict.ok) return { kind: 'suppress', reason: verdict.reason, code: REFUSED_LOCALLY };
    try {
      await webpush.sendNotification(message.subscription, message.payload, {
        headers: { Authorization: this.vapidHeaders.authorization(endpoint, message.vapid) },
        TTL: message.ttlSeconds,
        urgency: message.urgency,
        contentEncoding: 'aes128gcm',
        timeout: this.config.PUSH_TIMEOUT_MS,
        agent: this.agentFor(endpoint),
      });
      return { kind: 'sent' };
    } catch (error) {
      return pushOutcome(error);
    }
  }

  onApplicationShutdown(): void {
    this.publicAgent.destroy();
    this.local?.agent.destroy();
  }

  private agentFor(endpoint: string): Agent {
    return this.local && new URL(endpoint).origin === this.local.origin ? this.local.agent : this.publicAgent;
  }
}
