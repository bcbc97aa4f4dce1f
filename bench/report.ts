import { SERIES, type ReachFigures, type Series } from './figures';
import type { RunResult } from './bench-run';
import type { ChartLine } from './progress-chart';

const int = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '–' : Math.round(n).toLocaleString('en'));
const secs = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? '–' : `${(ms / 1000).toFixed(2)} s`);
const pct = (ratio: number | undefined) => (ratio === undefined || !Number.isFinite(ratio) ? '–' : `${Math.round(ratio * 100)}%`);

function table(rows: string[][], indent = '  '): string {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows.map((row) => indent + row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]) : cell.padStart(widths[col]))).join('   ')).join('\n');
}

function rssLine(peaks: Record<string, number | undefined>): string {
  return Object.entries(peaks)
    .map(([label, mb]) => `${label} ${int(mb)}`)
    .join(' · ');
}

/** One run's figures (or the medians of several) as a console table. */
export function runTable(title: string, r: RunResult): string {
  const row = (label: string, value: (f: ReachFigures, s: Series) => string, from: Partial<Record<Series, ReachFigures>> = r.clarion) => [
    label,
    ...SERIES.map((s) => {
      const figures = from[s];
      if (!figures) return '';
      return figures.deliveries > 0 ? value(figures, s) : '–';
    }),
  ];
  const lines = [
    title,
    table([
      ['', ...SERIES],
      row('deliveries', (f) => int(f.deliveries)),
      row('first reached', (f) => secs(f.firstMs)),
      row('50% reached', (f) => secs(f.p50Ms)),
      row('95% reached', (f) => secs(f.p95Ms)),
      row('100% reached', (f) => secs(f.p100Ms)),
      row('deliveries/s', (f) => int(f.perSecond)),
      row('ms per 1000', (f) => int(f.msPer1000)),
      row('raw, each alone: 100% sent', (f) => secs(f.p100Ms), r.raw.alone),
      row('raw, each alone: deliveries/s', (f) => int(f.perSecond), r.raw.alone),
      row('raw, together: 100% sent', (f) => secs(f.p100Ms), r.raw.together),
      row('raw, together: deliveries/s', (f) => int(f.perSecond), r.raw.together),
      row('Clarion ÷ raw', (_, s) => pct(r.ratio[s])),
    ]),
    `  raw combined (both channels at once, as delivery sends them): ${secs(r.raw.together.total.p100Ms)}; Clarion, publish to last supporter: ${secs(r.clarion.total.p100Ms)}`,
    `  Clarion ÷ raw: total against raw together, each channel against that channel alone`,
    `  ledger agreed (everyone counted sent) ${secs(r.ledgerAgreedMs)} after the publish call returned; duplicates: email ${int(r.duplicates.email)}, push ${int(r.duplicates.push)}`,
    `  peak RSS during delivery, MB${r.peakResetWorked ? '' : ' (since start: the peak could not be reset after seeding)'}: ${rssLine(r.peakRssMb)}`,
    `  peak RSS until seeded, MB: ${rssLine(r.seedingPeakRssMb)}; raw senders: ${int(r.rawSenderPeakRssMb)}`,
    `  seeding (not timed): ${secs(r.seedMs)}; delivery: ${r.workers} worker(s), SMTP_POOL_SIZE ${r.tuning.smtpPoolSize}, SEND_CONCURRENCY ${r.tuning.sendConcurrency}, BATCH_CONCURRENCY ${r.tuning.batchConcurrency}`,
  ];
  return lines.join('\n');
}

/** Size by size: throughput, cost per delivery and memory, to show they stay flat as the audience grows. */
export function sizesTable(medians: RunResult[]): string {
  const labels = [...new Set(medians.flatMap((m) => Object.keys(m.peakRssMb)))];
  return table([
    ['supporters', 'deliveries', 'deliveries/s', 'ms per 1000', 'first', '100%', 'Clarion ÷ raw', ...labels.map((l) => `${l} MB`)],
    ...medians.map((m) => [
      int(m.supporters),
      int(m.clarion.total.deliveries),
      int(m.clarion.total.perSecond),
      int(m.clarion.total.msPer1000),
      secs(m.clarion.total.firstMs),
      secs(m.clarion.total.p100Ms),
      pct(m.ratio.total),
      ...labels.map((l) => int(m.peakRssMb[l])),
    ]),
  ]);
}

/** The chart's lines: the raw libraries dashed underneath, then Clarion per channel, and Clarion's total on top. */
export function chartLines(r: RunResult): ChartLine[] {
  return [
    { label: 'raw, email alone', colour: '#93c5fd', dashed: true, curve: r.raw.alone.email.curve },
    { label: 'raw, push alone', colour: '#fcd34d', dashed: true, curve: r.raw.alone.push.curve },
    { label: 'raw, both at once', colour: '#6b7280', dashed: true, curve: r.raw.together.total.curve },
    { label: 'Clarion, email', colour: '#2563eb', curve: r.clarion.email.curve },
    { label: 'Clarion, push', colour: '#d97706', curve: r.clarion.push.curve },
    { label: 'Clarion, total', colour: '#111827', curve: r.clarion.total.curve },
  ];
}
