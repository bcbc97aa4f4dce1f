import { useTranslation } from 'react-i18next';
import type { ProgressTotals } from '../api/views';
import type { ProgressPoint } from './progress';

const COLOURS: Record<string, string> = { email: '#1f4e79', push: '#8a3b00' };
const WIDTH = 320;
const HEIGHT = 140;

/** Reach by channel over time: an SVG line per channel, with the same figures as a table for screen readers. */
export function ReachChart({ points }: { points: ProgressPoint[] }) {
  const { t, i18n } = useTranslation();
  const channels = Object.keys(points.at(-1)?.sent ?? { email: 0, push: 0 });
  const max = Math.max(1, ...points.flatMap((p) => Object.values(p.sent)));
  const first = points[0]?.at ?? 0;
  const span = Math.max(1, (points.at(-1)?.at ?? 1) - first);
  const x = (at: number) => ((at - first) / span) * (WIDTH - 10) + 5;
  const y = (value: number) => HEIGHT - 5 - (value / max) * (HEIGHT - 10);
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium' });
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={t('dashboard.chartLabel')}>
        <line x1="5" y1={HEIGHT - 5} x2={WIDTH - 5} y2={HEIGHT - 5} stroke="#555" />
        {channels.map((channel) => (
          <polyline
            key={channel}
            fill="none"
            stroke={COLOURS[channel] ?? '#333'}
            strokeWidth="2.5"
            points={points.map((p) => `${x(p.at)},${y(p.sent[channel] ?? 0)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {channels.map((channel) => (
          <span key={channel} className="legend">
            <span className="swatch" style={{ background: COLOURS[channel] ?? '#333' }} aria-hidden="true" /> {t(`channels.${channel}`, { defaultValue: channel })}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>{t('dashboard.chartTable')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.time')}</th>
              {channels.map((c) => (
                <th scope="col" key={c}>
                  {t(`channels.${c}`, { defaultValue: c })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {points.slice(-20).map((p) => (
              <tr key={p.at}>
                <td>{time.format(p.at)}</td>
                {channels.map((c) => (
                  <td key={c}>{p.sent[c] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Sent, failed, suppressed and targeted per channel: counts only, never a person. */
export function ChannelTotalsTable({ totals }: { totals: ProgressTotals }) {
  const { t } = useTranslation();
  return (
    <table className="totals" data-testid="channel-totals">
      <caption>{t('dashboard.byChannel')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('dashboard.channel')}</th>
          <th scope="col">{t('dashboard.targeted')}</th>
          <th scope="col">{t('dashboard.sent')}</th>
          <th scope="col">{t('dashboard.failed')}</th>
          <th scope="col">{t('dashboard.suppressed')}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(totals.channels).map(([channel, c]) => (
          <tr key={channel} data-channel={channel}>
            <th scope="row">{t(`channels.${channel}`, { defaultValue: channel })}</th>
            <td data-count="targeted">{c.targeted}</td>
            <td data-count="sent">{c.sent}</td>
            <td data-count="failed">{c.failed}</td>
            <td data-count="suppressed">{c.suppressed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
