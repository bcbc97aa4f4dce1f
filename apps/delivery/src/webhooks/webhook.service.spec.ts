import { Types } from 'mongoose';
import type { Principal, WebhookOwner } from '@clarion/contracts';
import { Forbidden, Invalid, NotFound } from '@clarion/errors';
import { newSealingKeyPair, SecretOpener, SecretSealer } from '@clarion/security';
import type { WebhookDestinations } from './webhook-destinations';
import type { StoredEndpoint, WebhookRepository } from './webhook.repository';
import { WebhookService } from './webhook.service';

const id = () => new Types.ObjectId().toHexString();
const principal = (grant: Principal['grant']): Principal => ({ tokenId: id(), name: 'someone', grant });

/** An in-memory repository: the service's rules, not the database, are under test. */
function memoryRepository() {
  const endpoints = new Map<string, StoredEndpoint>();
  const repository = {
    listFor: async (owner: WebhookOwner) => [...endpoints.values()].filter((e) => e.ownerKind === owner.kind && e.ownerId === owner.id),
    countFor: async (owner: WebhookOwner) => (await repository.listFor(owner)).length,
    create: async (owner: WebhookOwner, fields: Pick<StoredEndpoint, 'url' | 'eventTypes' | 'description'>, secret: (id: string) => StoredEndpoint['secrets'][number]) => {
      const _id = new Types.ObjectId();
      const endpoint = { _id, ownerKind: owner.kind, ownerId: owner.id, ...fields, disabled: false, secrets: [secret(_id.toHexString())], createdAt: new Date() } as StoredEndpoint;
      endpoints.set(_id.toHexString(), endpoint);
      return endpoint;
    },
    byId: async (endpointId: string) => endpoints.get(endpointId) ?? null,
    update: async (endpointId: string, changes: Partial<StoredEndpoint>) => {
      const endpoint = endpoints.get(endpointId);
      if (!endpoint) return null;
      Object.assign(endpoint, changes);
      return endpoint;
    },
  };
  return repository as unknown as WebhookRepository;
}

describe('WebhookService', () => {
  const keys = newSealingKeyPair();
  const orgId = id();
  const coalitionId = id();
  const orgAdmin = principal({ role: 'org_admin', orgId });
  const orgEditor = principal({ role: 'org_editor', orgId });
  const otherAdmin = principal({ role: 'org_admin', orgId: id() });
  const coordinator = principal({ role: 'coordinator', coalitionId });
  const destinations = { check: async () => ({ ok: true }) } as unknown as WebhookDestinations;
  let service: WebhookService;

  beforeEach(() => {
    service = new WebhookService(memoryRepository(), destinations, new SecretSealer(keys.publicKey), new SecretOpener(keys.privateKeyPem));
  });

  const createForOrg = () =>
    service.create({ actor: orgAdmin, owner: { kind: 'organisation', id: orgId }, input: { url: 'https://crm.example.org/hook', eventTypes: ['relay.decided'] } });

  it('lets an organisation’s admin manage its endpoints and its editor only read them', async () => {
    const { endpoint } = await createForOrg();
    await expect(service.list({ actor: orgEditor, owner: { kind: 'organisation', id: orgId } })).resolves.toHaveLength(1);
    await expect(service.remove({ actor: orgEditor, endpointId: endpoint.id })).rejects.toBeInstanceOf(Forbidden);
    await expect(service.remove({ actor: otherAdmin, endpointId: endpoint.id })).rejects.toBeInstanceOf(NotFound);
    await expect(service.deliveries({ actor: coordinator, endpointId: endpoint.id, limit: 10 })).rejects.toBeInstanceOf(NotFound);
  });

  it('keeps supporter events from a coalition and alert events it does not own from an organisation', async () => {
    const owner = { kind: 'coalition', id: coalitionId } as const;
    await expect(service.create({ actor: coordinator, owner, input: { url: 'https://x.example.org/', eventTypes: ['supporter.joined'] } })).rejects.toMatchObject({ field: 'eventTypes', statusCode: 403 });
    await expect(
      service.create({ actor: orgAdmin, owner: { kind: 'organisation', id: orgId }, input: { url: 'https://x.example.org/', eventTypes: ['alert.published'] } }),
    ).rejects.toBeInstanceOf(Invalid);
    await expect(service.create({ actor: coordinator, owner: { kind: 'organisation', id: orgId }, input: { url: 'https://x.example.org/', eventTypes: ['relay.decided'] } })).rejects.toBeInstanceOf(Forbidden);
  });

  it('signs with the old and the new secret during the overlap, and with the new one alone after it', async () => {
    const { endpoint, secret: first } = await createForOrg();
    const { secret: second } = await service.rotateSecret({ actor: orgAdmin, endpointId: endpoint.id, input: { overlapSeconds: 60 } });
    const stored = (await (service as unknown as { repository: WebhookRepository }).repository.byId(endpoint.id))!;
    expect(service.signingSecrets(stored)).toEqual([first, second]);
    expect(service.signingSecrets(stored, new Date(Date.now() + 61_000))).toEqual([second]);
    // No overlap: the old secret stops at once.
    const { secret: third } = await service.rotateSecret({ actor: orgAdmin, endpointId: endpoint.id, input: { overlapSeconds: 0 } });
    expect(service.signingSecrets(stored)).toEqual([third]);
    expect(JSON.stringify(stored.secrets)).not.toContain(third.slice('whsec_'.length));
  });
});
