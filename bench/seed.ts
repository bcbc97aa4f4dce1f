import { performance } from 'node:perf_hooks';
import type { PushService, PushSubscriptionJson } from '@clarion/sinks';
import { http, type JsonResponse } from '@clarion/testing';
import type { Channel } from './arrivals';

export const LANGUAGES = ['en', 'fr', 'sw'] as const;

/** Rows per import call: about 0.5 MB of CSV with push keys, under NATS's default 1 MB payload. */
const IMPORT_CHUNK_ROWS = 2_000;
/** Import calls at once (subscriptions works through them one chunk of 100 rows at a time anyway). */
const IMPORT_PARALLEL = 2;
const IMPORT_TIMEOUT_MS = 120_000;
const IMPORT_HEADER = 'email,language,topics,consent_at,consent_source,push_endpoint,push_p256dh,push_auth';
const CONSENT_AT = '2026-01-15T10:00:00Z';

export interface SeededNetwork {
  coalitionId: string;
  coordinatorToken: string;
  orgs: { id: string; slug: string; name: string; adminToken: string }[];
  /** Recipients each channel must reach: email addresses, push subscription ids (the push service's). */
  expected: Record<Channel, Set<string>>;
  /** The same audience for the raw baseline. */
  emails: string[];
  pushSubscriptions: PushSubscriptionJson[];
  seedMs: number;
}

function must(res: JsonResponse, status: number, what: string): JsonResponse {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res;
}

/**
 * Supporter i: email when i mod 10 < 7, push when i mod 10 ≥ 5 — 70% email,
 * 50% push, 20% both — in language i mod 3, in organisation ⌊i·M/N⌋.
 */
export function supporterMix(i: number): { email: boolean; push: boolean; language: (typeof LANGUAGES)[number] } {
  return { email: i % 10 < 7, push: i % 10 >= 5, language: LANGUAGES[i % 3] };
}

/**
 * One coalition, `orgs` organisations relaying automatically, and
 * `supporters` supporters imported through the public API in CSV chunks,
 * with push subscriptions made by the local push service.
 */
export async function seed(
  gatewayUrl: string,
  adminToken: string,
  push: PushService,
  { supporters, orgs: orgCount, tag: runTag, say }: { supporters: number; orgs: number; tag: string; say: (line: string) => void },
): Promise<SeededNetwork> {
  const started = performance.now();
  const api = (method: string, path: string, token: string, body?: unknown, timeoutMs?: number) =>
    http(method, `${gatewayUrl}/api/v1${path}`, { token, body, timeoutMs });

  const coalition = must(await api('POST', '/coalitions', adminToken, { name: 'Bench Coalition', slug: `bench-${runTag}` }), 201, 'coalition').body;
  const coordinatorToken: string = must(
    await api('POST', '/tokens', adminToken, { name: 'bench coordinator', grant: { role: 'coordinator', coalitionId: coalition.id } }),
    201,
    'coordinator token',
  ).body.token;

  const orgs: SeededNetwork['orgs'] = [];
  for (let k = 0; k < orgCount; k++) {
    const name = `Bench Org ${k + 1}`;
    const slug = `bench-${runTag}-org-${k + 1}`;
    const org = must(
      await api('POST', '/organisations', adminToken, { name, slug, country: 'KE', languages: [...LANGUAGES], branding: { senderName: name, colour: '#aa3300' } }),
      201,
      name,
    ).body;
    const orgAdmin: string = must(await api('POST', '/tokens', adminToken, { name: `${name} admin`, grant: { role: 'org_admin', orgId: org.id } }), 201, 'org token')
      .body.token;
    must(await api('POST', `/coalitions/${coalition.id}/invitations`, coordinatorToken, { orgId: org.id }), 201, 'invitation');
    must(await api('POST', `/organisations/${org.id}/memberships`, orgAdmin, { coalitionId: coalition.id, relayPolicy: { mode: 'auto' } }), 201, 'membership');
    orgs.push({ id: org.id, slug, name, adminToken: orgAdmin });
  }

  const expected: SeededNetwork['expected'] = { email: new Set(), push: new Set() };
  const emails: string[] = [];
  const pushSubscriptions: PushSubscriptionJson[] = [];
  const chunks: { org: SeededNetwork['orgs'][number]; rows: string[] }[] = [];
  for (let k = 0; k < orgCount; k++) {
    const org = orgs[k];
    const from = Math.floor((k * supporters) / orgCount);
    const to = Math.floor(((k + 1) * supporters) / orgCount);
    let rows: string[] = [];
    for (let i = from; i < to; i++) {
      const mix = supporterMix(i);
      let email = '';
      let keys = ',,';
      if (mix.email) {
        email = `s${i}@${org.slug}.example.org`;
        expected.email.add(email);
        emails.push(email);
      }
      if (mix.push) {
        const { id, subscription } = push.createSubscription(`s${i}`);
        expected.push.add(id);
        pushSubscriptions.push(subscription);
        keys = `${subscription.endpoint},${subscription.keys.p256dh},${subscription.keys.auth}`;
      }
      rows.push(`${email},${mix.language},,${CONSENT_AT},bench import,${keys}`);
      if (rows.length === IMPORT_CHUNK_ROWS) {
        chunks.push({ org, rows });
        rows = [];
      }
    }
    if (rows.length > 0) chunks.push({ org, rows });
  }

  let next = 0;
  let rowsDone = 0;
  let lastSaid = performance.now();
  const importStarted = performance.now();
  const importer = async () => {
    while (next < chunks.length) {
      const { org, rows } = chunks[next++];
      const res = await api('POST', `/organisations/${org.id}/supporters/import`, org.adminToken, { csv: [IMPORT_HEADER, ...rows].join('\n') }, IMPORT_TIMEOUT_MS);
      const result = must(res, 200, `import into ${org.name}`).body as { imported: number; skipped: { line: number; reason: string }[] };
      if (result.skipped.length > 0) {
        const sample = result.skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ');
        throw new Error(`import into ${org.name} refused ${result.skipped.length} of ${rows.length} rows (${sample}); does the import take push columns yet?`);
      }
      rowsDone += rows.length;
      if (performance.now() - lastSaid > 10_000) {
        lastSaid = performance.now();
        const rate = rowsDone / ((lastSaid - importStarted) / 1000);
        say(`  … imported ${rowsDone.toLocaleString('en')}/${supporters.toLocaleString('en')} supporters (${Math.round(rate)} rows/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: IMPORT_PARALLEL }, importer));

  // The supporters' own counts must agree with what was sent, or the run would wait for people who are not there.
  const active = { email: 0, push: 0 };
  for (const org of orgs) {
    const counts = must(await api('GET', `/organisations/${org.id}/supporters/counts`, org.adminToken), 200, 'counts').body;
    active.email += counts.email.active;
    active.push += counts.push.active;
  }
  if (active.email !== expected.email.size || active.push !== expected.push.size) {
    throw new Error(
      `after the import, organisations count ${active.email} active emails and ${active.push} active push subscriptions; ` +
        `expected ${expected.email.size} and ${expected.push.size} (push columns ignored by the import?)`,
    );
  }
  return { coalitionId: coalition.id, coordinatorToken, orgs, expected, emails, pushSubscriptions, seedMs: performance.now() - started };
}
