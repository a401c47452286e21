import type { IndicatorPreviewPoint, Severity } from '@cityops/contracts';

export interface TrendThreshold {
  level: Severity;
  value: number;
}

const WIDTH = 220;
const HEIGHT = 40;
const PAD = 4;

/** Runs of consecutive points: a minute without a value breaks the line rather than bridging it. */
export function runsOf(points: readonly IndicatorPreviewPoint[], stepSeconds: number): IndicatorPreviewPoint[][] {
  const runs: IndicatorPreviewPoint[][] = [];
  let previous: number | null = null;
  for (const point of points) {
    const at = Date.parse(point.ts);
    if (previous === null || at - previous > stepSeconds * 1500) runs.push([]);
    runs[runs.length - 1].push(point);
    previous = at;
  }
  return runs;
}

/**
 * An area's hour as a small line with its thresholds drawn across it. Inline SVG rather than the
 * wall's ECharts sparkline: the thresholds are part of the picture, and thirty of these must stay cheap.
 */
export function TrendLine({
  points,
  from,
  to,
  stepSeconds,
  thresholds,
}: {
  points: readonly IndicatorPreviewPoint[];
  from: string;
  to: string;
  stepSeconds: number;
  thresholds: readonly TrendThreshold[];
}) {
  const t0 = Date.parse(from);
  const t1 = Math.max(Date.parse(to), t0 + 1);
  const values = [...points.map((p) => p.value), ...thresholds.map((th) => th.value)];
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (hi === lo) {
    hi += Math.abs(hi) * 0.1 || 1;
    lo -= Math.abs(lo) * 0.1;
  }
  const x = (ts: string) => PAD + ((Date.parse(ts) - t0) / (t1 - t0)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - lo) / (hi - lo)) * (HEIGHT - 2 * PAD);
  const runs = runsOf(points, stepSeconds);
  return (
    <svg
      className="trend-line"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      aria-hidden="true"
      data-testid="preview-trend"
    >
      <rect className="trend-frame" x={0.5} y={0.5} width={WIDTH - 1} height={HEIGHT - 1} />
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
      {runs.map((run) =>
        run.length > 1 ? (
          <path
            key={run[0].ts}
            className="trend-path"
            d={run.map((p, i) => `${i ? 'L' : 'M'}${x(p.ts).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
          />
        ) : (
          <circle key={run[0].ts} className="trend-dot" cx={x(run[0].ts)} cy={y(run[0].value)} r={2.5} />
        ),
      )}
    </svg>
  );
}
