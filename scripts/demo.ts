import { PushService, SmtpSink } from '@clarion/sinks';
import { http, SAMPLE_CRISIS_ALERT, startNetwork, startTestInfra, type JsonResponse } from '@clarion/testing';

/**
 * `npm run demo`: a small network on throwaway infrastructure — one
 * coalition, three organisations, a few hundred supporters against the local
 * SMTP sink and push service — then a crisis call, with live progress until
 * every supporter is reached. Leaves nothing behind.
 */
const SUPPORTERS_PER_ORG = Number(process.env.DEMO_SUPPORTERS_PER_ORG ?? 100);
const say = (line: string) => console.log(line);

function must(res: JsonResponse, status: number, what: string): JsonResponse {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

async function main(): Promise<void> {
  say('demo: starting nats-server, FerretDB, the SMTP sink, the push service and the four services…');
  const infra = await startTestInfra();
  const [smtp, push] = await Promise.all([SmtpSink.start({ parse: false }), PushService.start({ decrypt: 'sample' })]);
  const network = await startNetwork(infra, {
    commonEnv: { LOCAL_PUSH_SERVICE_URL: push.httpUrl, LOG_LEVEL: 'warn' },
    // The demo's hundreds of browsers all join from this one machine: no per-client limit on them.
    env: { delivery: { SMTP_URL: smtp.smtpUrl }, gateway: { PUBLIC_WRITES_PER_MINUTE: '0' } },
  });
  say(`demo: service logs in ${infra.dir}/logs (kept when CLARION_KEEP_TEST_DIR=1)`);
  const stop = async () => {
    await network.stopAll();
    await Promise.all([smtp.stop(), push.stop()]);
    await infra.stop();
  };
  try {
    await scenario(network.gatewayUrl, network.adminToken, push);
    await watchUntilReached(network.gatewayUrl, smtp, push);
  } finally {
    await stop();
  }
}

let coordinator = '';
let alertId = '';
let totalEmails = 0;
let totalPushes = 0;
let reviewer: { orgId: string; token: string } | undefined;

async function scenario(gatewayUrl: string, adminToken: string, push: PushService): Promise<void> {
  const api = (method: string, path: string, token: string, body?: unknown) => http(method, `${gatewayUrl}/api/v1${path}`, { token, body });
  const coalition = must(await api('POST', '/coalitions', adminToken, { name: 'Civic Space Watch', slug: 'civic-space-watch' }), 201, 'coalition').body;
  coordinator = must(await api('POST', '/tokens', adminToken, { name: 'coordinator', grant: { role: 'coordinator', coalitionId: coalition.id } }), 201, 'token').body.token;

  const orgs = [
    { name: 'Nairobi Rights Forum', slug: 'nairobi-rights-forum', languages: ['en', 'sw'], policy: { mode: 'auto' } },
    { name: 'Droits Maintenant', slug: 'droits-maintenant', languages: ['fr', 'en'], policy: { mode: 'review', deadlineMinutes: 10, onDeadline: 'approve' } },
    { name: 'Open Future', slug: 'open-future', languages: ['en'], policy: { mode: 'auto' } },
  ];
  for (const spec of orgs) {
    const org = must(
      await api('POST', '/organisations', adminToken, { name: spec.name, slug: spec.slug, country: 'KE', languages: spec.languages, branding: { senderName: spec.name } }),
      201,
      spec.name,
    ).body;
    const orgAdmin = must(await api('POST', '/tokens', adminToken, { name: `${spec.name} admin`, grant: { role: 'org_admin', orgId: org.id } }), 201, 'token').body.token;
    must(await api('POST', `/coalitions/${coalition.id}/invitations`, coordinator, { orgId: org.id }), 201, 'invitation');
    must(await api('POST', `/organisations/${org.id}/memberships`, orgAdmin, { coalitionId: coalition.id, relayPolicy: spec.policy }), 201, 'membership');
    if (spec.policy.mode === 'review') reviewer = { orgId: org.id, token: orgAdmin };

    // About 70% by email (imported with their consent evidence), 50% by push (joined on the public page).
    const rows = ['email,language,topics,consent_at,consent_source'];
    for (let i = 0; i < SUPPORTERS_PER_ORG; i++) {
      const language = spec.languages[i % spec.languages.length];
      if (i % 10 < 7) rows.push(`supporter${i}@${spec.slug}.example,${language},,2026-01-15T10:00:00Z,petition signup form`);
      if (i % 2 === 0) {
        const { subscription } = push.createSubscription(`${spec.slug}-${i}`);
        must(await http('POST', `${gatewayUrl}/join/${spec.slug}`, { body: { push: subscription, language, topics: [] } }), 201, 'push join');
        totalPushes++;
      }
    }
    const imported = must(await api('POST', `/organisations/${org.id}/supporters/import`, orgAdmin, { csv: rows.join('\n') }), 200, 'import').body;
    totalEmails += imported.imported;
    say(`demo: ${spec.name}: ${imported.imported} supporters by email, ${Math.ceil(SUPPORTERS_PER_ORG / 2)} by push, relays ${spec.policy.mode === 'auto' ? 'at once' : 'after review'}`);
  }

  const alert = must(
    await api('POST', `/coalitions/${coalition.id}/alerts`, coordinator, SAMPLE_CRISIS_ALERT),
    201,
    'alert',
  ).body;
  alertId = alert.id;
  must(await api('POST', `/alerts/${alertId}/publish`, coordinator), 200, 'publish');
  say(`demo: crisis call published; ${totalEmails} emails and ${totalPushes} pushes to go (one organisation reviews first)`);

  // The reviewing organisation's editor approves a moment later, with its own intro.
  setTimeout(async () => {
    if (!reviewer) return;
    const pending = (await api('GET', `/organisations/${reviewer.orgId}/relays?status=pending`, reviewer.token)).body;
    for (const relay of Array.isArray(pending) ? pending : []) {
      await api('POST', `/organisations/${reviewer.orgId}/relays/${relay.id}/approve`, reviewer.token, { intro: 'Droits Maintenant relaie cet appel urgent.' });
      say('demo: Droits Maintenant approved its relay after review');
    }
  }, 1_500);
}

async function watchUntilReached(gatewayUrl: string, smtp: SmtpSink, push: PushService): Promise<void> {
  const started = Date.now();
  const deadline = started + 120_000;
  let last = '';
  for (;;) {
    const progress = (await http('GET', `${gatewayUrl}/api/v1/alerts/${alertId}/relays`, { token: coordinator })).body;
    const line = `relays approved ${progress.approved}/${progress.organisations} · email sent ${smtp.count}/${totalEmails} · push sent ${push.count}/${totalPushes}`;
    if (line !== last) say(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${line}`);
    last = line;
    if (smtp.count >= totalEmails && push.count >= totalPushes) break;
    if (Date.now() > deadline) throw new Error('not every supporter was reached within 2 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  say(`demo: every supporter reached in ${((Date.now() - started) / 1000).toFixed(1)} s. Stopping.`);
}

main().catch((error: Error) => {
  console.error(`demo: ${error.message}`);
  process.exit(1);
});
