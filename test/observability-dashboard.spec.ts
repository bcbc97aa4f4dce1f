import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@clarion/infra';
import { nameService, registry } from '@clarion/observability';

const dir = join(repoRoot(), 'deploy', 'observability');

/** Every clarion_* series a query names, without the histogram suffixes Prometheus adds. */
function seriesIn(expr: string): string[] {
  return [...expr.matchAll(/\bclarion_[a-z0-9_]+/g)].map(([name]) => name.replace(/_(bucket|count|sum)$/, ''));
}

/** The dashboard and the alerting rules ask only for series the services export: a renamed metric cannot leave a blank panel or a silent alert. */
describe('dashboard and alerting rules', () => {
  let known: Set<string>;

  beforeAll(async () => {
    nameService('test');
    known = new Set((await registry.getMetricsAsJSON()).map((metric) => metric.name));
  });

  it('the Grafana dashboard queries only exported metrics', () => {
    const dashboard = JSON.parse(readFileSync(join(dir, 'grafana', 'clarion-dashboard.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[] };
    const names = dashboard.panels.flatMap((panel) => panel.targets.flatMap((target) => seriesIn(target.expr)));
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('the alerting rules watch only exported metrics', () => {
    const rules = parse(readFileSync(join(dir, 'prometheus', 'clarion.rules.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
    const all = rules.groups.flatMap((group) => group.rules);
    expect(all.map((rule) => rule.alert)).toEqual(['ClarionFanOutStalled', 'ClarionDeadLetters', 'ClarionConsumerLag', 'ClarionHttpErrorRate', 'ClarionSendErrorRate']);
    expect(all.flatMap((rule) => seriesIn(rule.expr)).filter((name) => !known.has(name))).toEqual([]);
  });

  it('no metric carries an organisation, supporter, relay or address label', async () => {
    const labels = (await registry.getMetricsAsJSON()).flatMap((metric) => metric.values.flatMap((value) => Object.keys(value.labels)));
    const declared = new Set(labels);
    for (const forbidden of ['orgId', 'org', 'organisation', 'supporterId', 'relayId', 'alertId', 'email', 'endpoint', 'provider']) {
      expect(declared.has(forbidden)).toBe(false);
    }
  });
});
