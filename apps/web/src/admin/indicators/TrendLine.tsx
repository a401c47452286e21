import type { IndicatorPreviewPoint, Severity } from '@cityops/contracts';

export interface TrendThreshold {
  level: Severity;
  value: number;
}

const WIDTH = 160;
const HEIGHT = 36;
const PAD = 3;

/**
 * An area's hour as a small line with its thresholds drawn across it. Inline SVG rather than the
 * wall's ECharts sparkline: the thresholds are part of the picture, and thirty of these must stay cheap.
 */
export function TrendLine({
  points,
  from,
  to,
  thresholds,
}: {
  points: readonly IndicatorPreviewPoint[];
  from: string;
  to: string;
  thresholds: readonly TrendThreshold[];
}) {
  const t0 = Date.parse(from);
  const t1 = Math.max(Date.parse(to), t0 + 1);
  const values = [...points.map((p) => p.value), ...thresholds.map((th) => th.value)];
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) {
    hi += Math.abs(hi) * 0.1 || 1;
    lo -= Math.abs(lo) * 0.1 || 0;
  }
  const x = (ts: string) => PAD + ((Date.parse(ts) - t0) / (t1 - t0)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - lo) / (hi - lo)) * (HEIGHT - 2 * PAD);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.ts).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  return (
    <svg
      className="trend-line"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      aria-hidden="true"
      data-testid="preview-trend"
    >
      {thresholds.map((th) => (
        <line
          key={th.level}
          className={`trend-threshold trend-threshold--${th.level}`}
          x1={0}
          x2={WIDTH}
          y1={y(th.value)}
          y2={y(th.value)}
          data-level={th.level}
        />
      ))}
      {points.length > 1 ? <path className="trend-path" d={path} /> : null}
      {points.length === 1 ? <circle className="trend-dot" cx={x(points[0].ts)} cy={y(points[0].value)} r={2} /> : null}
    </svg>
  );
}
