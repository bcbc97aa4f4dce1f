import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ServiceName } from '@clarion/infra';
import { SmtpSink } from '@clarion/sinks';
import { http, startNetwork, startTestInfra, type Network, type TestInfra } from '@clarion/testing';
import { Api, eventually, expectStatus } from './support/api';
import { alertInput, createCoalition, createOrg, subscribe, type Coalition, type Org } from './support/directory-fixture';
import { openProgressStream } from './support/progress-stream';

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
}

/** A test OTLP/HTTP receiver (JSON encoding): what the services' exporters send to OTEL_EXPORTER_OTLP_ENDPOINT. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; stop(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: Omit<ReceivedSpan, 'service'>[] }[] }[];
        };
        for (const { resource, scopeSpans } of body.resourceSpans) {
          const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
          for (const { spans: list } of scopeSpans) for (const s of list) spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One sample's value from a Prometheus text exposition (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/**
 * One published alert, observed from outside: delivery's /metrics agrees with
 * the ledger's counts; the alert's trace runs gateway → alerts →
 * subscriptions → delivery as one trace of linked spans (exported over OTLP
 * to a test receiver); and its trace id is in the logs of all four services.
 */
describe('metrics and traces of one published alert', () => {
  let infra: TestInfra;
  let network: Network;
  let smtp: SmtpSink;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let admin: Api;
  let coalition: Coalition;
  let org: Org;
  const metricsPorts = {} as Record<ServiceName, number>;
  const supporters = ['ana@example.org', 'ben@example.org', 'chloe@example.org', 'dara@example.org'];

  beforeAll(async () => {
    infra = await startTestInfra();
    [smtp, otlp] = await Promise.all([SmtpSink.start(), startOtlpReceiver()]);
    // Port 0: each service picks a free one and logs it, so no two processes can race for the same port.
    network = await startNetwork(infra, {
      commonEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, METRICS_PORT: '0' },
      env: { delivery: { SMTP_URL: smtp.smtpUrl } },
    });
    for (const name of ['gateway', 'alerts', 'subscriptions', 'delivery'] as const) {
      const log = readFileSync(join(infra.dir, 'logs', `${name}.log`), 'utf8');
      metricsPorts[name] = Number(/metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(log)![1]);
    }
    admin = new Api(network.gatewayUrl, network.adminToken);
    coalition = await createCoalition(admin);
    org = await createOrg(admin, 'Observed Rights', ['en']);
    await subscribe(coalition, org, { channels: ['email'], relayPolicy: { mode: 'auto' } });
    for (const email of supporters) {
      expectStatus(await http('POST', `${network.gatewayUrl}/join/${org.slug}`, { body: { email, language: 'en', topics: [] } }), 201);
      const confirmation = await eventually(`confirmation to ${email}`, async () => smtp.messages().find((m) => m.to.includes(email)), 30_000);
      expectStatus(await http('GET', /https?:\/\/\S+\/join\/confirm\/[A-Za-z0-9_.-]+/.exec(confirmation.text)![0]), 200);
    }
    await eventually('every join worked on', async () => {
      const counts = expectStatus(await org.admin.get(`/organisations/${org.id}/supporters/counts`), 200).body;
      return counts.email.active === supporters.length ? counts : undefined;
    }, 30_000);
    smtp.clear();
  }, 240_000);

  afterAll(async () => {
    await network?.stopAll();
    await Promise.all([smtp?.stop(), otlp?.stop()]);
    await infra?.stop();
  });

  const scrape = async (name: ServiceName) => {
    const res = await fetch(`http://127.0.0.1:${metricsPorts[name]}/metrics`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    return res.text();
  };

  // The caller's own trace: every span and log line of the work must carry it.
  const traceId = randomBytes(16).toString('hex');
  let alertId = '';

  it('publishes an alert with a traceparent and every supporter gets it; delivery’s metrics match the ledger', async () => {
    const before = await scrape('delivery');
    alertId = expectStatus(await coalition.coordinator.post(`/coalitions/${coalition.id}/alerts`, alertInput({ topics: [], regions: [] })), 201).body.id;
    const progress = await openProgressStream(network.gatewayUrl, coalition.coordinator.token!, alertId);
    try {
      const published = await http('POST', `${network.gatewayUrl}/api/v1/alerts/${alertId}/publish`, {
        token: coalition.coordinator.token,
        headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      });
      expectStatus(published, 200);
      await eventually('the alert in every inbox', async () => (smtp.messages().length >= supporters.length ? true : undefined), 60_000);
      const ledger = (await progress.until((p) => p.channels.email.sent === supporters.length, 30_000)).channels.email;

      const after = await scrape('delivery');
      const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
      expect(delta('clarion_deliveries_total', { channel: 'email', outcome: 'sent' })).toBe(ledger.sent);
      expect(delta('clarion_deliveries_targeted_total', { channel: 'email' })).toBe(ledger.targeted);
      expect(delta('clarion_deliveries_total', { channel: 'email', outcome: 'failed' })).toBe(ledger.failed);
      expect(sample(after, 'clarion_fanout_latency_seconds_count', { milestone: 'first' })).toBeGreaterThanOrEqual(1);
      expect(sample(after, 'clarion_fanout_latency_seconds_count', { milestone: 'p95' })).toBeGreaterThanOrEqual(1);
      // JetStream's own view of the batch consumer, read at scrape time; nothing left behind.
      expect(after).toMatch(/clarion_consumer_pending_messages\{[^}]*durable="delivery-batches"[^}]*\} 0/);
      // No label names an organisation, a supporter or an address.
      expect(after).not.toContain(org.id);
      for (const email of supporters) expect(after).not.toContain(email);
    } finally {
      progress.close();
    }
  }, 120_000);

  it('counts the gateway’s requests by route template and status, never by concrete path', async () => {
    const text = await scrape('gateway');
    expect(sample(text, 'clarion_http_requests_total', { method: 'POST', route: '/api/v1/alerts/:alertId/publish', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(alertId);
  });

  it('records one trace of linked spans from the gateway through alerts and subscriptions to delivery', async () => {
    // Walk from delivery's batch span up its parents: the path crosses every service back to the gateway's HTTP span.
    // Each service exports its spans in batches, and a parent ends (and is exported) after its children: wait for
    // the whole path, not only for a span of each service.
    const pathOf = (spans: ReceivedSpan[]) => {
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const path: string[] = [];
      for (let span = spans.find((s) => s.name === 'consume delivery-batches'); span; span = byId.get(span.parentSpanId)) path.push(span.service);
      return path;
    };
    const { spans, path } = await eventually(
      'the spans of the trace from delivery back to the gateway',
      async () => {
        const ours = otlp.spans.filter((s) => s.traceId === traceId);
        const found = pathOf(ours);
        return found.at(-1) === 'gateway' ? { spans: ours, path: found } : undefined;
      },
      30_000,
    );
    expect(path[0]).toBe('delivery');
    expect(path.at(-1)).toBe('gateway');
    expect(new Set(path)).toEqual(new Set(['gateway', 'alerts', 'subscriptions', 'delivery']));
    expect(spans.find((s) => s.service === 'gateway' && s.name.startsWith('HTTP POST'))?.name).toBe('HTTP POST /api/v1/alerts/:alertId/publish');
  });

  it('writes the trace id into the logs of all four services', () => {
    for (const name of ['gateway', 'alerts', 'subscriptions', 'delivery'] as const) {
      const lines = readFileSync(join(infra.dir, 'logs', `${name}.log`), 'utf8').split('\n').filter((line) => line.includes(`"traceId":"${traceId}"`));
      expect({ name, linesWithTheTrace: lines.length > 0 }).toEqual({ name, linesWithTheTrace: true });
    }
  });
});
