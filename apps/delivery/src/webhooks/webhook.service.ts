import { Inject, Injectable } from '@nestjs/common';
import {
  administers,
  coalitionWebhookEvents,
  coordinates,
  isAdmin,
  organisationWebhookEvents,
  supporterWebhookEvents,
  worksFor,
  type Principal,
  type ValidRequestOf,
  type WebhookDeliveryView,
  type WebhookEndpointView,
  type WebhookEventType,
  type WebhookOwner,
  type WebhookSecretView,
  type webhookRpc,
} from '@clarion/contracts';
import { Forbidden, Invalid, NotFound } from '@clarion/errors';
import { SecretOpener, SecretSealer } from '@clarion/security';
import type { WebhookSecret } from './webhook-endpoint.schema';
import { WebhookDestinations } from './webhook-destinations';
import { WebhookRepository, type StoredEndpoint, type StoredMessage } from './webhook.repository';
import { newWebhookSecret } from './webhook-signature';

/** Endpoints one organisation or coalition may have: enough for a CRM, a chat tool and a spare. */
export const MAX_ENDPOINTS_PER_OWNER = 10;

export const WEBHOOK_SEALER = Symbol('WEBHOOK_SEALER');

/** What a webhook secret is sealed for: another endpoint's value does not open as this one's. */
export const secretContext = (endpointId: string) => `clarion/webhook-secret/${endpointId}`;

/**
 * Endpoints and their secrets, authorised here against the endpoint's owner:
 * an organisation's admins (and the network admin) manage its endpoints, its
 * editors read them; a coalition's coordinators manage the coalition's.
 * Supporter events go to an organisation's own endpoints only.
 */
@Injectable()
export class WebhookService {
  constructor(
    private readonly repository: WebhookRepository,
    private readonly destinations: WebhookDestinations,
    @Inject(WEBHOOK_SEALER) private readonly sealer: SecretSealer,
    private readonly opener: SecretOpener,
  ) {}

  async create({ actor, owner, input }: ValidRequestOf<typeof webhookRpc.create>): Promise<WebhookSecretView> {
    if (!mayManage(actor, owner)) throw forbidden(owner);
    checkEventTypes(owner, input.eventTypes);
    await this.checkUrl(input.url);
    if ((await this.repository.countFor(owner)) >= MAX_ENDPOINTS_PER_OWNER) {
      throw new Invalid(`an ${owner.kind} may have at most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints`, 'url');
    }
    const secret = newWebhookSecret();
    const endpoint = await this.repository.create(owner, input, (id) => this.sealed(id, secret));
    return { endpoint: view(endpoint), secret };
  }

  async list({ actor, owner }: ValidRequestOf<typeof webhookRpc.list>): Promise<WebhookEndpointView[]> {
    if (!mayRead(actor, owner)) throw forbidden(owner);
    return (await this.repository.listFor(owner)).map(view);
  }

  async update({ actor, endpointId, input }: ValidRequestOf<typeof webhookRpc.update>): Promise<WebhookEndpointView> {
    const endpoint = await this.managed(actor, endpointId);
    if (input.eventTypes) checkEventTypes(ownerOf(endpoint), input.eventTypes);
    if (input.url) await this.checkUrl(input.url);
    const updated = await this.repository.update(endpointId, input);
    if (!updated) throw notFound();
    return view(updated);
  }

  async remove({ actor, endpointId }: ValidRequestOf<typeof webhookRpc.remove>): Promise<WebhookEndpointView> {
    const endpoint = await this.managed(actor, endpointId);
    await this.repository.remove(endpointId);
    return view(endpoint);
  }

  /**
   * A new secret signs from now on; the current one goes on signing, beside
   * it, for `overlapSeconds`, so a receiver can take the new one without
   * refusing anything meanwhile. Secrets already retiring keep their end.
   */
  async rotateSecret({ actor, endpointId, input }: ValidRequestOf<typeof webhookRpc.rotateSecret>): Promise<WebhookSecretView> {
    const endpoint = await this.managed(actor, endpointId);
    const now = new Date();
    const retireAt = new Date(now.getTime() + input.overlapSeconds * 1000);
    const kept = activeSecrets(endpoint, now).map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < retireAt ? s.expiresAt : retireAt }));
    const secret = newWebhookSecret();
    const secrets = [...kept.filter((s) => s.expiresAt > now), this.sealed(endpointId, secret)];
    const updated = await this.repository.update(endpointId, { secrets });
    if (!updated) throw notFound();
    return { endpoint: view(updated), secret };
  }

  async deliveries({ actor, endpointId, limit }: ValidRequestOf<typeof webhookRpc.deliveries>): Promise<WebhookDeliveryView[]> {
    const endpoint = await this.repository.byId(endpointId);
    if (!endpoint || !mayRead(actor, ownerOf(endpoint))) throw notFound();
    return (await this.repository.log(endpointId, limit)).map(logView);
  }

  /** The secrets that sign now, opened (the sender's use only). */
  signingSecrets(endpoint: StoredEndpoint, now = new Date()): string[] {
    const id = endpoint._id.toHexString();
    return activeSecrets(endpoint, now).map((s) => this.opener.open(s.sealed, secretContext(id)));
  }

  private async managed(actor: Principal, endpointId: string): Promise<StoredEndpoint> {
    const endpoint = await this.repository.byId(endpointId);
    // Someone else's endpoint is not found, as one that does not exist: its id reveals nothing.
    if (!endpoint || !mayRead(actor, ownerOf(endpoint))) throw notFound();
    if (!mayManage(actor, ownerOf(endpoint))) throw forbidden(ownerOf(endpoint));
    return endpoint;
  }

  private async checkUrl(url: string): Promise<void> {
    const verdict = await this.destinations.check(url);
    if (!verdict.ok) throw new Invalid(verdict.reason, 'url');
  }

  private sealed(endpointId: string, secret: string): WebhookSecret {
    return { sealed: this.sealer.seal(secret, secretContext(endpointId)), createdAt: new Date() };
  }
}

export const ownerOf = (endpoint: Pick<StoredEndpoint, 'ownerKind' | 'ownerId'>): WebhookOwner => ({ kind: endpoint.ownerKind, id: endpoint.ownerId });

function mayManage(actor: Principal, owner: WebhookOwner): boolean {
  if (isAdmin(actor)) return true;
  return owner.kind === 'organisation' ? administers(actor, owner.id) : coordinates(actor, owner.id);
}

function mayRead(actor: Principal, owner: WebhookOwner): boolean {
  if (isAdmin(actor)) return true;
  return owner.kind === 'organisation' ? worksFor(actor, owner.id) : coordinates(actor, owner.id);
}

function checkEventTypes(owner: WebhookOwner, types: readonly WebhookEventType[]): void {
  const allowed: readonly WebhookEventType[] = owner.kind === 'organisation' ? organisationWebhookEvents : coalitionWebhookEvents;
  const refused = types.find((type) => !allowed.includes(type));
  if (refused === undefined) return;
  if (owner.kind === 'coalition' && (supporterWebhookEvents as readonly string[]).includes(refused)) {
    throw new Forbidden(`${refused}: supporter events go only to the organisation that holds the supporters`, 'eventTypes');
  }
  throw new Invalid(`${refused} is not an event an ${owner.kind}'s endpoint can receive (${allowed.join(', ')})`, 'eventTypes');
}

function activeSecrets(endpoint: Pick<StoredEndpoint, 'secrets'>, now: Date): (WebhookSecret & { expiresAt: Date })[] {
  return endpoint.secrets
    .filter((s) => !s.expiresAt || s.expiresAt > now)
    .map((s) => ({ ...s, expiresAt: s.expiresAt ?? new Date(8.64e15) }));
}

function forbidden(owner: WebhookOwner): Forbidden {
  return new Forbidden(owner.kind === 'organisation' ? "only the organisation's admins manage its webhooks" : "only the coalition's coordinators manage its webhooks");
}

const notFound = () => new NotFound('no such webhook endpoint');

function view(endpoint: StoredEndpoint): WebhookEndpointView {
  return {
    id: endpoint._id.toHexString(),
    owner: ownerOf(endpoint),
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    ...(endpoint.description ? { description: endpoint.description } : {}),
    disabled: endpoint.disabled,
    secrets: endpoint.secrets.map((s) => ({ createdAt: s.createdAt.toISOString(), ...(s.expiresAt ? { expiresAt: s.expiresAt.toISOString() } : {}) })),
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function logView(message: StoredMessage): WebhookDeliveryView {
  return {
    messageId: message.messageId,
    eventType: message.eventType,
    state: message.state,
    attempts: message.attempts.map((a) => ({
      at: a.at.toISOString(),
      ...(a.status !== undefined ? { status: a.status } : {}),
      ...(a.error ? { error: a.error } : {}),
      durationMs: a.durationMs,
    })),
    createdAt: message.createdAt.toISOString(),
  };
}
