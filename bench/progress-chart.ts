/** One line of the chart: curve[k] = ms until k% was reached (see ReachFigures.curve). */
export interface ChartLine {
  label: string;
  colour: string;
  dashed?: boolean;
  curve: number[];
}

const WIDTH = 760;
const HEIGHT = 420;
const MARGIN = { left: 56, right: 170, top: 40, bottom: 48 };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A step of 1, 2 or 5 × 10ⁿ giving about six ticks up to `max`. */
function tickStep(max: number): number {
  const rough = max / 6;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough) ?? rough;
}

/**
 * The progress curve as a small hand-written SVG: share of the audience
 * reached (0–100%) against seconds since the publish call returned.
 */
export function progressChart(title: string, lines: ChartLine[]): string {
  const drawn = lines.filter((line) => line.curve.length > 0);
  const maxS = Math.max(0.001, ...drawn.map((line) => line.curve[line.curve.length - 1] / 1000));
  const step = tickStep(maxS);
  const xMax = Math.ceil(maxS / step) * step;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (seconds: number) => MARGIN.left + (seconds / xMax) * plotW;
  const y = (fraction: number) => MARGIN.top + (1 - fraction) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Arial,Helvetica,sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  for (let s = 0; s <= xMax + step / 2; s += step) {
    const label = Number(s.toFixed(3)).toString();
    out.push(`<line x1="${x(s).toFixed(1)}" y1="${MARGIN.top}" x2="${x(s).toFixed(1)}" y2="${MARGIN.top + plotH}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${x(s).toFixed(1)}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${label}</text>`);
  }
  for (let p = 0; p <= 100; p += 25) {
    out.push(`<line x1="${MARGIN.left}" y1="${y(p / 100).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${y(p / 100).toFixed(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${(y(p / 100) + 4).toFixed(1)}" text-anchor="end">${p}%</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#9ca3af"/>`);
  out.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle">seconds after the publish call returned (raw libraries: after they started)</text>`);
  out.push(`<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">audience reached</text>`);
  drawn.forEach((line, index) => {
    // From the origin, then the time each percent was reached.
    const points = [`${x(0).toFixed(1)},${y(0).toFixed(1)}`, ...line.curve.map((ms, k) => `${x(ms / 1000).toFixed(1)},${y(k / 100).toFixed(1)}`)];
    out.push(
      `<polyline fill="none" stroke="${line.colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points.join(' ')}"/>`,
    );
    const ly = MARGIN.top + 12 + index * 20;
    const lx = MARGIN.left + plotW + 14;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${line.colour}" stroke-width="2"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 30}" y="${ly}">${escape(line.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
