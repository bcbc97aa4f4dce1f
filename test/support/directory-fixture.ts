import type { CreateMembershipInput, Grant } from '@clarion/contracts';
import { http } from '@clarion/testing';
import { Api, eventually, expectStatus } from './api';

export interface Org {
  id: string;
  slug: string;
  admin: Api;
  editor: Api;
}

export interface Coalition {
  id: string;
  coordinator: Api;
  secondCoordinator: Api;
}

let counter = 0;
const unique = (base: string) => `${base}-${process.pid}-${++counter}`;

export async function createToken(admin: Api, name: string, grant: Grant): Promise<Api> {
  const res = expectStatus(await admin.post('/tokens', { name, grant }), 201);
  return admin.as(res.body.token);
}

export async function createCoalition(admin: Api, options: { requireSecondApproval?: boolean } = {}): Promise<Coalition> {
  const slug = unique('coalition');
  const res = expectStatus(await admin.post('/coalitions', { name: `Coalition ${slug}`, slug, requireSecondApproval: options.requireSecondApproval ?? false }), 201);
  const id: string = res.body.id;
  return {
    id,
    coordinator: await createToken(admin, 'coordinator one', { role: 'coordinator', coalitionId: id }),
    secondCoordinator: await createToken(admin, 'coordinator two', { role: 'coordinator', coalitionId: id }),
  };
}

export async function createOrg(admin: Api, name: string, languages = ['en']): Promise<Org> {
  const slug = unique(name.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  const res = expectStatus(
    await admin.post('/organisations', { name, slug, country: 'KE', languages, branding: { colour: '#aa3300', senderName: name } }),
    201,
  );
  const id: string = res.body.id;
  return {
    id,
    slug,
    admin: await createToken(admin, `${name} admin`, { role: 'org_admin', orgId: id }),
    editor: await createToken(admin, `${name} editor`, { role: 'org_editor', orgId: id }),
  };
}

/** Invited by the coalition's coordinator, subscribed by the organisation's admin. */
export async function subscribe(coalition: Coalition, org: Org, membership: Omit<CreateMembershipInput, 'coalitionId'> | Record<string, unknown>) {
  expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/invitations`, { orgId: org.id }), 201);
  const res = expectStatus(await org.admin.post(`/organisations/${org.id}/memberships`, { coalitionId: coalition.id, ...membership }), 201);
  return res.body;
}

export function alertInput(overrides: Record<string, unknown> = {}) {
  return {
    primaryLanguage: 'en',
    texts: {
      en: { title: 'Stand with the Kenya Human Rights Commission', body: 'The government **froze** its accounts today.', ctaLabel: 'Sign the letter' },
      fr: { title: 'Solidarité avec la KHRC', body: 'Le gouvernement a **gelé** ses comptes.', ctaLabel: 'Signez la lettre' },
    },
    ctaUrl: 'https://example.org/act/khrc',
    urgency: 'high',
    topics: ['civic-space'],
    regions: ['KE'],
    ...overrides,
  };
}

/** The organisation's supporters as its export lists them. */
export async function listSupporters(org: Org): Promise<{ id: string; email?: string; emailState?: string; pushState?: string }[]> {
  return expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/export?format=json`), 200).body;
}

/**
 * Joins on the organisation's public page and waits until the join was
 * worked on: the answer names nobody (docs/decisions/0022), so the new
 * supporter is the one the export did not list before. `push` alone or
 * `email`; one join at a time per organisation.
 */
export async function joinAndFind(gatewayUrl: string, org: Org, body: { email?: string; push?: object; language: string; topics?: string[] }): Promise<string> {
  const before = new Set((await listSupporters(org)).map((s) => s.id));
  expectStatus(await http('POST', `${gatewayUrl}/join/${org.slug}`, { body: { topics: [], ...body } }), 201);
  return eventually(`${body.email ?? 'a browser'} on the list`, async () => {
    const supporters = await listSupporters(org);
    return (body.email ? supporters.find((s) => s.email === body.email) : supporters.find((s) => !s.email && !before.has(s.id)))?.id;
  });
}
